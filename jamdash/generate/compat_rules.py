"""Generator of generated/prometheus/<service>_compat.rules.yaml: the compat rules resolve/compat.py made."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from jamdash.generate.header import commented
from jamdash.model import Model

PATH = "prometheus/{service}_compat.rules.yaml"


def generate(model: Model) -> Iterator[tuple[str, str]]:
    recorded = model.rules.compat
    groups = [{"name": f"{model.service}_compat", "interval": model.scrape_interval,
               "rules": [{"record": rule.record, "expr": rule.expr} for rule in recorded]}] if recorded else []
    text = yaml.safe_dump({"groups": groups}, sort_keys=False, default_flow_style=False, width=120)
    yield PATH.format(service=model.service), (
        commented(model.spec_path)
        + "# Old names of renamed metrics (deprecated with renamed_to), recorded from their new names so\n"
        + "# dashboards and alerts on the old name keep working while the deprecated entry stays in the spec.\n"
        + "# The generated metrics module exports only the new name, so the two never collide.\n"
        + text
    )
