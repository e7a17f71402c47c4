"""Golden cases of the telemetry lint rules: each folder's spec gives exactly its expected findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from jamdash.findings import sort_key
from jamdash.pipeline import build

CASES = Path(__file__).resolve().parents[1] / "golden" / "telemetry_lint"


def _findings(spec: Path) -> str:
    result = build(str(spec))
    return "".join(f"{f.line}:{f.column}: {f.severity}: [{f.rule}] {f.message}\n"
                   for f in sorted(result.findings, key=sort_key))


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()), ids=str)
def test_golden_findings(case: str) -> None:
    folder = CASES / case
    assert (folder / "README.md").is_file(), "every golden case says what it is for"
    assert _findings(folder / "metrics_spec.yaml") == (folder / "expected.txt").read_text()


def test_every_telemetry_rule_has_a_golden_case() -> None:
    from jamdash.lint import telemetry_events, telemetry_spans  # noqa: F401  (the rules under test)

    expected = "".join((CASES / case / "expected.txt").read_text() for case in sorted(p.name for p in CASES.iterdir()))
    rules = {"telemetry-name", "telemetry-unknown-label", "telemetry-label-values", "telemetry-field-kind",
             "secret-field-name", "metric-link-unknown", "metric-link-op", "metric-link-value", "metric-link-when",
             "metric-link-label", "span-name", "status-field", "telemetry-constant", "health-cleanup-event"}
    assert {rule for rule in rules if f"[{rule}]" not in expected} == set()
