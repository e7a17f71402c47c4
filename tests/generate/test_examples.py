"""Every example spec under examples/ lints clean (promtool included) and its committed generated/ is current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, require_tool

from jamdash.generate import generate_all
from jamdash.pipeline import build
from jamdash.write import compare

EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/metrics_spec.yaml"))
IDS = [p.name for p in EXAMPLES]


def test_there_is_an_example_that_is_not_jam() -> None:
    assert [p.name for p in EXAMPLES] == ["shop"]


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_committed_output_matches_the_spec(example: Path) -> None:
    result = build(str(example / "metrics_spec.yaml"))
    assert result.model is not None and result.findings == [], result.findings
    drift = compare(generate_all(result.model), example / "generated")
    assert drift.clean, f"run 'make generate': stale={list(drift.stale)} missing={drift.missing} extra={drift.extra}"


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_nothing_in_the_output_is_named_jam(example: Path) -> None:
    for path in sorted((example / "generated").rglob("*")):
        if path.is_file():
            text = re.sub(r"(?i)jamdash", "", path.relative_to(example).as_posix() + "\n" + path.read_text("utf-8"))
            assert not re.search(r"(?i)jam", text), f"{path.relative_to(ROOT)} names JAM"


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_lint_passes_with_promtool(example: Path) -> None:
    require_tool("promtool")
    result = subprocess.run([sys.executable, "-m", "jamdash.cli", "lint", "--spec",
                             str(example / "metrics_spec.yaml")], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
