"""benchmarks/run.py --quick produces its table with a finite ratio in every row (targets not gated)."""

from __future__ import annotations

import pytest

import json
import math
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SECTIONS = ("a.generated_vs_child", "a.labels_vs_generated", "b.import_vs_client", "c.generate_vs_floor",
            "d.x10_vs_x1", "d.x100_vs_x10", "d.marginal", "e.event_vs_idiom",
            "e.span_off_vs_bare", "e.span_on_vs_otel", "a.generated2_vs_child", "c.generate_source_vs_floor",
            "f.lint_vs_generate", "f.lint_no_cache_vs_generate", "a.generated2_vs_own_child", "a.own_child_vs_child",
            "a.observe_vs_child")


@pytest.mark.slow
def test_quick_run_prints_a_table_of_finite_ratios(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(results)],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    header, *lines = run.stdout.splitlines()[1:]
    assert header.split()[:2] == ["measurement", "ratio"]
    rows = json.loads(results.read_text())
    assert {row["key"] for row in rows} >= set(SECTIONS)
    assert len(lines) == len(rows)
    for row, line in zip(rows, lines):
        assert math.isfinite(row["ratio"]) and row["ratio"] > 0, row
        assert line.startswith(row["what"]) and line.split()[-1] in ("PASS", "MISS", "-"), line
        assert (row["passed"] is None) == (row["target"] == "(info)")
