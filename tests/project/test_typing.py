"""The jamdash package passes mypy --strict with the project's configuration (pyproject [tool.mypy])."""

from __future__ import annotations

import pytest

import subprocess
import sys

from conftest import ROOT


@pytest.mark.slow
def test_jamdash_passes_mypy_strict(mypy_cache: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "--strict",
         "--cache-dir", mypy_cache, "-p", "jamdash"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
