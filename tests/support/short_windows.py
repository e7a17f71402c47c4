"""The repository's spec with its alert windows shrunk to seconds, for end-to-end tests.

Alerts over 5m windows with 5m `for:` cannot fire within a test's time budget, so the
end-to-end tests generate the rules from a copy of metrics_spec.yaml in which:

- scrape_interval is 1s (the test Prometheus scrapes every second);
- every alert `window` and recording-rule window becomes WINDOW (8s, at least 4 scrapes), and so
  does every dashboard panel's `recorded:` window (it names the recording rule's window);
- every `for:` becomes FOR (2s);
- SLO periods become SLO_PERIOD (12h: burn windows of 1m/5s, 6m/30s, 24m/2m, 72m/6m);
- raw-expression parameters are replaced from RAW_PARAMS.

Everything else (metrics, thresholds, labels, annotations) is the repository's, and the
rules come out of the same `jamdash` pipeline, so the structure under test is the real one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from conftest import SPEC
from jamdash.generate import generate_all
from jamdash.pipeline import build
from jamdash.write import write_tree

SCRAPE = "1s"
WINDOW = "8s"
FOR = "2s"
SLO_PERIOD = "12h"
RAW_PARAMS = {"JamCleanupStale": {"max_age_seconds": 30}}
INTENT_KEYS = ("ratio", "rate", "increase", "gauge", "quantile")


def shrink(data: dict[str, Any]) -> dict[str, Any]:
    """The spec data with short windows (see the module docstring)."""
    data = {**data, "scrape_interval": SCRAPE}
    data["recording_rules"] = [{**rule, "windows": [WINDOW]} for rule in data.get("recording_rules", [])]
    alerts = {}
    for name, alert in data.get("alerts", {}).items():
        alert = {**alert, "for": FOR}
        for key in INTENT_KEYS:
            if key in alert and "window" in alert[key]:
                alert[key] = {**alert[key], "window": WINDOW}
        if name in RAW_PARAMS:
            alert["params"] = {**alert.get("params", {}), **RAW_PARAMS[name]}
        alerts[name] = alert
    data["alerts"] = alerts
    if "dashboards" in data:
        boards = {key: {**board, "panels": [{**p, "recorded": WINDOW} if "recorded" in p else p
                                            for p in board["panels"]]}
                  for key, board in data["dashboards"]["boards"].items()}
        data["dashboards"] = {**data["dashboards"], "boards": boards}
    data["slo"] = [{**slo, "period": SLO_PERIOD, "page": {"severity": "critical", "for": FOR},
                    "ticket": {"severity": "warning", "for": FOR}} for slo in data.get("slo", [])]
    return data


def short_window_rules(tmp: Path, spec: Path = SPEC) -> list[Path]:
    """Generate the short-window variant into tmp/generated; return its Prometheus rule files."""
    out = generate_into(tmp, shrink(yaml.safe_load(spec.read_text())))
    return sorted((out / "prometheus").glob("*.rules.yaml"))


def generate_into(tmp: Path, data: dict[str, Any]) -> Path:
    """Write data as tmp/metrics_spec.yaml and generate it into tmp/generated, which is returned."""
    short = tmp / "metrics_spec.yaml"
    short.write_text(yaml.safe_dump(data, sort_keys=False))
    result = build(str(short))
    assert result.model is not None, result.findings
    out = tmp / "generated"
    write_tree(generate_all(result.model), out)
    return out
