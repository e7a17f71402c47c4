"""Findings of promtool's tests moved from the generated test files to the spec entries they came from."""

from __future__ import annotations

from collections.abc import Iterable

from jamdash.check.promtool import failed_test
from jamdash.findings import Finding, Position
from jamdash.model import Model


def _origins(model: Model) -> dict[str, Position]:
    """Test name -> the spec position that asked for it."""
    out: dict[str, Position] = {}
    for rule in model.rules.recording:
        out[f"recorded {rule.record}"] = rule.position
    for alert in model.rules.alerts:
        out[alert.name] = alert.position
        for test in alert.intent.raw_tests:
            out[f"{alert.name}: {test.name}"] = test.position
    return out


def at_spec(model: Model, findings: Iterable[Finding]) -> list[Finding]:
    """promtool test failures at the spec's `tests:` entry (raw-expr alerts), the alert, or the recording
    rule they test; the generated file is named in the message. Other findings are left as they are."""
    origins = _origins(model)
    out = []
    for f in findings:
        name = failed_test(f)  # "Alert: case" or "recorded SERIES"
        pos = None if name is None else origins.get(name) or origins.get(name.split(": ", 1)[0])
        if pos is None:
            out.append(f)
            continue
        file = f.path.rsplit("/", 1)[-1]
        out.append(Finding.at(model.source.path, pos, f.rule, f"{f.message} (promtool test rules, in {file})",
                              f.severity))
    return out
