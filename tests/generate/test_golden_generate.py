"""Golden generate cases: tests/golden/generate/<case>/metrics_spec.yaml generates exactly expected/."""

from __future__ import annotations

from pathlib import Path

import pytest
from goldenkit import assert_tree, cases

from jamdash.generate import generate_all
from jamdash.pipeline import build

CASES = cases("generate")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_generate_case(case: Path) -> None:
    readme = case / "README.md"
    assert readme.is_file() and readme.read_text(encoding="utf-8").strip(), f"{case.name} needs a README.md"
    result = build(str(case / "metrics_spec.yaml"))
    assert result.model is not None, result.findings
    assert result.findings == [], "a generate case should lint clean"
    assert_tree(generate_all(result.model), case / "expected", "generated output")
