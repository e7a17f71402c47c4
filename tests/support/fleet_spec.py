"""A spec turned into a fleet's: fleet settings added, and raw expressions made to keep the cluster label.

jamdash builds every intent's PromQL with the cluster label; a raw `expr` is the author's, so the
fleet variant of a spec rewrites its `by (job, ...)` and `on (job, ...)` to keep `<cluster>` first and puts the
cluster label on its test series and expected labels, as an author adopting a fleet would.
"""

from __future__ import annotations

import re
from typing import Any

CLUSTER_VALUE = "a"


def fleet(data: dict[str, Any], cluster_label: str = "cluster", **settings: Any) -> dict[str, Any]:
    """The spec data with `fleet: {cluster_label, **settings}` and its raw expressions adapted."""
    alerts = {name: _raw(alert, cluster_label) if "expr" in alert else alert
              for name, alert in data.get("alerts", {}).items()}
    return {**data, "alerts": alerts, "fleet": {"cluster_label": cluster_label, **settings}}


def _raw(alert: dict[str, Any], label: str) -> dict[str, Any]:
    expr = re.sub(r"\b(by|on) \(job", lambda m: f"{m.group(1)} ({label}, job", alert["expr"])
    tests = []
    for test in alert.get("tests", []):
        series = [{**s, "series": s["series"].replace("{", f'{{{label}="{CLUSTER_VALUE}", ', 1)}
                  for s in test["series"]]
        labels = {**test.get("labels", {}), label: CLUSTER_VALUE} if test["fires"] else test.get("labels", {})
        tests.append({**test, "series": series, **({"labels": labels} if labels else {})})
    return {**alert, "expr": expr, "tests": tests}
