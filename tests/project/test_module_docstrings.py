"""Every module under jamdash/ opens with a docstring whose summary is one line."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT


def _problem(path: Path) -> str | None:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")), clean=False)
    if not doc or not doc.strip():
        return "no docstring"
    lines = doc.strip("\n").splitlines()
    if not lines[0].strip():
        return "the docstring does not start on its first line"
    if len(lines) > 1 and lines[1].strip():
        return "the summary runs over more than one line (leave a blank line after it)"
    return None


def test_every_module_opens_with_a_one_line_summary() -> None:
    modules = sorted((ROOT / "jamdash").rglob("*.py"))
    assert ROOT / "jamdash" / "cli.py" in modules
    problems = {str(p.relative_to(ROOT)): problem for p in modules if (problem := _problem(p))}
    assert problems == {}


def test_a_wrapped_summary_is_caught(tmp_path: Path) -> None:
    module = tmp_path / "wrapped.py"
    module.write_text('"""A summary that\nruns on."""\n', encoding="utf-8")
    assert _problem(module) is not None
    module.write_text('"""A summary.\n\nDetails.\n"""\n', encoding="utf-8")
    assert _problem(module) is None
    module.write_text("x = 1\n", encoding="utf-8")
    assert _problem(module) == "no docstring"
