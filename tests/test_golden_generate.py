"""Golden generate cases: tests/golden/generate/<case>/metrics_spec.yaml generates exactly expected/."""

from __future__ import annotations

from pathlib import Path

import pytest
from goldenkit import HOW_TO_UPDATE, UPDATE, cases

from jamdash.generate import generate_all
from jamdash.pipeline import build
from jamdash.write import compare, write_tree

CASES = cases("generate")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_generate_case(case: Path) -> None:
    readme = case / "README.md"
    assert readme.is_file() and readme.read_text(encoding="utf-8").strip(), f"{case.name} needs a README.md"
    result = build(str(case / "metrics_spec.yaml"))
    assert result.model is not None, result.findings
    assert result.findings == [], "a generate case should lint clean"
    files = generate_all(result.model)
    expected = case / "expected"
    if UPDATE:
        write_tree(files, expected)
    drift = compare(files, expected)
    report = "\n".join(f"{path}:\n{diff}" for path, diff in drift.diffs.items())
    assert drift.clean, f"{case.name}: generated output changed; {HOW_TO_UPDATE}\n{report}"
