"""The service's alerts that are pending or firing in a Prometheus, reported as information."""

from __future__ import annotations

from typing import Any

from jamdash import codes
from jamdash.findings import INFO, Finding
from jamdash.model import Model
from jamdash.model.rules import Alert
from jamdash.model.deployment import Matcher
from jamdash.promql.selector import matches


def check(model: Model, active: list[dict[str, Any]], target: tuple[Matcher, ...]) -> list[Finding]:
    """One info finding per alert of the spec with pending or firing series for the service's targets
    (an alert's labels are matched where it has them: aggregations keep job, not every target label)."""
    states: dict[str, dict[str, int]] = {}
    for live in active:
        labels = live.get("labels") or {}
        if any(m.label in labels for m in matches(target, labels)):
            continue
        counted = states.setdefault(str(labels.get("alertname", "")), {})
        state = str(live.get("state", "unknown"))
        counted[state] = counted.get(state, 0) + 1
    findings = []
    named: dict[str, Alert] = {}  # an SLO alert is one rule per window pair under one name: one finding per name
    for alert in model.rules.alerts:
        named.setdefault(alert.name, alert)
    for alert in named.values():
        if seen := states.get(alert.name):
            summary = ", ".join(f"{n} {state}" for state, n in sorted(seen.items()))
            findings.append(Finding.at(model.spec_path, alert.position, codes.LIVE_ALERT_ACTIVE,
                                       f"{alert.name} ({alert.severity}) is active: {summary}", INFO))
    return findings
