"""Generator of generated/prometheus/<service>_compat.rules.yaml: renamed metrics' old names, recorded from the new."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from jamdash import conventions
from jamdash.generate.header import commented
from jamdash.model.metrics import Metric, Model
from jamdash.model.references import RECORDING_RULE, Use

PATH = "prometheus/{service}_compat.rules.yaml"
_MAX_MODES = ("max", "livemax", "mostrecent", "livemostrecent")
_MIN_MODES = ("min", "livemin")


def renames(model: Model) -> list[tuple[Metric, Metric]]:
    """(old, new) for every deprecated metric with renamed_to; lint made sure new can stand in for old."""
    return [(m, model.metric(m.deprecated.renamed_to)) for m in model.metrics
            if m.deprecated is not None and m.deprecated.renamed_to is not None]


def _aggregation(metric: Metric) -> str:
    """How series of the new metric that differ only in its extra labels add up to one old series."""
    if metric.type == "gauge" and metric.multiprocess_mode in _MAX_MODES:
        return "max"
    if metric.type == "gauge" and metric.multiprocess_mode in _MIN_MODES:
        return "min"
    return "sum"


def rules(model: Model) -> list[tuple[str, str]]:
    """(recorded series, PromQL) pairs: each old series computed from the new metric's."""
    out = []
    for old, new in renames(model):
        extra = [name for name in new.label_names if name not in old.label_names]
        parts = [(conventions.histogram_series_name(old.name, p), conventions.histogram_series_name(new.name, p))
                 for p in ("bucket", "sum", "count")] if new.type == "histogram" else [(old.name, new.name)]
        for record, source in parts:
            expr = f"{_aggregation(new)} without ({', '.join(extra)}) ({source})" if extra else source
            out.append((record, expr))
    return out


def queries(model: Model) -> Iterator[tuple[Use, str]]:
    """The compat rules as references: a dashboard on the old name reads the new metric."""
    for record, expr in rules(model):
        yield Use(RECORDING_RULE, record, "compat"), expr


def generate(model: Model) -> Iterator[tuple[str, str]]:
    recorded = rules(model)
    groups = [{"name": f"{model.service}_compat", "interval": model.scrape_interval,
               "rules": [{"record": record, "expr": expr} for record, expr in recorded]}] if recorded else []
    text = yaml.safe_dump({"groups": groups}, sort_keys=False, default_flow_style=False, width=120)
    yield PATH.format(service=model.service), (
        commented(model.spec_path)
        + "# Old names of renamed metrics (deprecated with renamed_to), recorded from their new names so\n"
        + "# dashboards and alerts on the old name keep working while the deprecated entry stays in the spec.\n"
        + "# The generated metrics module exports only the new name, so the two never collide.\n"
        + text
    )
