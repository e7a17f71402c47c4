"""The shared Jinja2 environment: compiled templates cached per user, never at the cost of a run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SPEC

SCRIPT = (
    "from jamdash.generate import python_metrics\n"
    "from jamdash.pipeline import build\n"
    f"[(_, text)] = python_metrics.generate(build({str(SPEC)!r}).model)\n"
    "print(text, end='')\n"
)


def render_in_fresh_process(cache_home: Path, write_bytecode: bool = True) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["XDG_CACHE_HOME"] = str(cache_home)
    env.pop("JAMDASH_CACHE_DIR", None)  # the test session's own folder: this test looks under XDG_CACHE_HOME
    if not write_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120,
                          check=True).stdout


def test_compiled_templates_are_cached_and_render_the_same(tmp_path: Path) -> None:
    cold = render_in_fresh_process(tmp_path)
    cached = list((tmp_path / "jamdash" / "jinja").iterdir())
    assert cached, "the first run should leave the compiled template in the cache"
    assert render_in_fresh_process(tmp_path) == cold
    assert cold.startswith("# generated from metrics_spec.yaml")


def test_an_unusable_cache_folder_only_costs_compile_time(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    reference = render_in_fresh_process(tmp_path / "ok")
    assert render_in_fresh_process(blocker) == reference


def test_no_cache_when_python_is_told_not_to_write_bytecode(tmp_path: Path) -> None:
    render_in_fresh_process(tmp_path, write_bytecode=False)
    assert not (tmp_path / "jamdash").exists()
