"""Findings of promtool's tests moved from the generated test files to the spec entries they came from."""

from __future__ import annotations

import re
from collections.abc import Iterable

from jamdash.check.promtool import failed_test
from jamdash.findings import Finding, Position
from jamdash.generate.promtool_tests import CASES
from jamdash.model import Model
from jamdash.spec.common import duration_ms

_FAILED_AT = re.compile(r"\btime: (?P<time>[0-9a-z]+),")  # promtool's failing alert_rule_test: "alertname: A, time: 2h40m,"


def _origins(model: Model) -> dict[str, tuple[Position, int]]:
    """Test name -> the spec position that asked for it, and (a raw case) its eval_time in ms (else -1)."""
    out: dict[str, tuple[Position, int]] = {}
    for rule in model.rules.recording:
        out[f"recorded {rule.record}"] = (rule.position, -1)
    for alert in model.rules.alerts:
        out[alert.name] = (alert.position, -1)
        for test in alert.intent.raw_tests:
            out[f"{alert.name}: {test.name}"] = (test.position, duration_ms(test.eval_time))
    return out


def _origin(origins: dict[str, tuple[Position, int]], name: str, message: str) -> Position | None:
    """Where a failed test came from: its spec entry; of a test holding several raw cases, the case evaluated at
    the failing time; else the alert or recording rule."""
    if name in origins:
        return origins[name][0]
    alert, _, cases = name.partition(": ")
    failed = _FAILED_AT.search(message)
    if failed and cases:
        at = duration_ms(failed["time"])
        for case in cases.split(CASES):
            position, eval_ms = origins.get(f"{alert}: {case}", (None, -1))
            if position is not None and eval_ms == at:
                return position
    return origins[alert][0] if alert in origins else None


def at_spec(model: Model, findings: Iterable[Finding]) -> list[Finding]:
    """promtool test failures at the spec's `tests:` entry (raw-expr alerts), the alert, or the recording
    rule they test; the generated file is named in the message. Other findings are left as they are."""
    origins = _origins(model)
    out = []
    for f in findings:
        name = failed_test(f)  # "Alert: case", "Alert: case; case" or "recorded SERIES"
        pos = None if name is None else _origin(origins, name, f.message)
        if pos is None:
            out.append(f)
            continue
        file = f.path.rsplit("/", 1)[-1]
        out.append(Finding.at(model.source.path, pos, f.rule, f"{f.message} (promtool test rules, in {file})",
                              f.severity))
    return out
