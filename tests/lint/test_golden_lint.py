"""Golden lint cases: tests/golden/lint/<case>/metrics_spec.yaml gives exactly expected.txt's findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from goldenkit import HOW_TO_UPDATE, UPDATE, cases

from jamdash.findings import format_text
from jamdash.pipeline import build

CASES = cases("lint")


def findings_text(case: Path) -> str:
    found = build(str(case / "metrics_spec.yaml")).findings
    return format_text(f._replace(path="metrics_spec.yaml") for f in found)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_lint_case(case: Path) -> None:
    readme = case / "README.md"
    assert readme.is_file() and readme.read_text(encoding="utf-8").strip(), f"{case.name} needs a README.md"
    actual = findings_text(case)
    expected_path = case / "expected.txt"
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
    expected = expected_path.read_text(encoding="utf-8")
    assert actual == expected, f"{case.name}: findings changed; {HOW_TO_UPDATE}"
