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
from gitrepo import GIT_ID, git, released_clone, user_env
from test_readme_usage import SECTION

from jamdash import __version__

pytestmark = pytest.mark.slow

INSTALL = re.search(r"`(pip install \"jamdash @ git\+https://<your git host>/jamdash\.git@[^`]+)`", SECTION)


def release(clone: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", ".ci/release"], cwd=clone, env={**os.environ, **GIT_ID},
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh clone of this repository with its release cut there (one for the module: nothing changes it)."""
    return released_clone(tmp_path_factory.mktemp("jamdash-src"))


def test_the_readme_install_line_installs_the_release_from_a_fresh_clone(released: Path, tmp_path: Path) -> None:
    assert INSTALL, "README.md has no install line"
    assert git(released, "tag", "--list") == f"v{__version__}\n"
    line = INSTALL[1].replace("https://<your git host>/jamdash.git", f"file://{released}")
    assert line.endswith(f'@v{__version__}"')
    venv = tmp_path / "venv"
    # no bytecode written at install: only `jamdash --version` runs there
    env = user_env(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_COMPILE="0", VIRTUALENV_NO_PERIODIC_UPDATE="1")
    # A fresh environment with a current pip, as pre-commit makes its hook environments: virtualenv seeds
    # the pip it bundles. `python -m venv` would seed Python 3.11's pip 23.2, which rejects git+file:///
    # (no host) URLs, so it would first have to upgrade pip (as `make generate` does) from the index.
    subprocess.run([sys.executable, "-m", "virtualenv", "-q", str(venv)], check=True, env=env, timeout=120)
    argv = shlex.split(line)
    assert argv[:2] == ["pip", "install"]
    result = subprocess.run([str(venv / "bin" / "python"), "-m", *argv], capture_output=True, text=True,
                            timeout=600, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "deprecated" not in result.stdout + result.stderr  # setuptools' license-table warning
    version = subprocess.run([str(venv / "bin" / "jamdash"), "--version"], capture_output=True, text=True, env=env)
    assert version.stdout == f"jamdash, version {__version__}\n"


def test_a_release_is_refused_twice_or_from_a_dirty_tree(released: Path, tmp_path: Path) -> None:
    git(tmp_path, "clone", "-q", str(released), "jamdash")  # a clone of the released one has its tag
    clone = tmp_path / "jamdash"
    again = release(clone)
    assert again.returncode == 1 and f"tag v{__version__} exists already" in again.stderr
    git(clone, "tag", "-d", f"v{__version__}")
    (clone / "README.md").write_text("edited\n", encoding="utf-8")
    dirty = release(clone)
    assert dirty.returncode == 1 and "README.md's install line does not pin" in dirty.stderr
    git(clone, "checkout", "README.md")
    (clone / "notes.txt").write_text("x\n", encoding="utf-8")
    assert "uncommitted changes" in release(clone).stderr
