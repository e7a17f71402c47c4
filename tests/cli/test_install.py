"""The README's install line works as written on a fresh clone whose release was cut as docs/releasing.md
says (issue 15 item 4), and installing prints no setuptools deprecation (item 11)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import GIT_ID, git, released_clone
from test_readme_usage import SECTION

from jamdash import __version__

pytestmark = pytest.mark.slow

INSTALL = re.search(r"`(pip install \"jamdash @ git\+https://<your git host>/jamdash\.git@[^`]+)`", SECTION)


def release(clone: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", ".ci/release"], cwd=clone, env={**os.environ, **GIT_ID},
                          capture_output=True, text=True)


def test_the_readme_install_line_installs_the_release_from_a_fresh_clone(tmp_path: Path) -> None:
    assert INSTALL, "README.md has no install line"
    clone = released_clone(tmp_path)
    assert git(clone, "tag", "--list") == f"v{__version__}\n"
    line = INSTALL[1].replace("https://<your git host>/jamdash.git", f"file://{clone}")
    assert line.endswith(f'@v{__version__}"')
    venv = tmp_path / "venv"
    python = str(venv / "bin" / "python")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # as `make generate` does: Python 3.11's bundled pip 23.2 rejects git+file:/// (no host) URLs
    subprocess.run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True, env=env,
                   capture_output=True, timeout=300)
    argv = shlex.split(line)
    assert argv[:2] == ["pip", "install"]
    result = subprocess.run([python, "-m", *argv], capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "deprecated" not in result.stdout + result.stderr  # setuptools' license-table warning
    version = subprocess.run([str(venv / "bin" / "jamdash"), "--version"], capture_output=True, text=True)
    assert version.stdout == f"jamdash, version {__version__}\n"


def test_a_release_is_refused_twice_or_from_a_dirty_tree(tmp_path: Path) -> None:
    clone = released_clone(tmp_path)
    again = release(clone)
    assert again.returncode == 1 and f"tag v{__version__} exists already" in again.stderr
    git(clone, "tag", "-d", f"v{__version__}")
    (clone / "README.md").write_text("edited\n", encoding="utf-8")
    dirty = release(clone)
    assert dirty.returncode == 1 and "README.md's install line does not pin" in dirty.stderr
    git(clone, "checkout", "README.md")
    (clone / "notes.txt").write_text("x\n", encoding="utf-8")
    assert "uncommitted changes" in release(clone).stderr
