"""This working tree as a git repository, cloned and released as a user's host would serve it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
GIT_ID = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
          "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}


def user_env(**extra: str) -> dict[str, str]:
    """os.environ as a user's shell has it, for the pip and pre-commit a test runs in a fresh environment:
    no PYTHONPATH (one naming this checkout makes pip take its jamdash for installed, and the hooks run
    it instead of the installed one), and bytecode caching on (under PYTHONDONTWRITEBYTECODE every
    process there would compile pip, setuptools and jamdash's dependencies from source again)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    return {**env, **GIT_ID, **extra}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ID}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def require_git() -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")


def snapshot(dest: Path) -> Path:
    """This working tree (committed or not) as a one-commit repository, as pre-commit clones hooks from git."""
    files = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "snapshot")
    return dest


def released_clone(tmp: Path) -> Path:
    """A fresh `git clone` of the snapshot with its release cut by `.ci/release` (docs/releasing.md)."""
    require_git()
    origin = snapshot(tmp / "origin")
    git(tmp, "clone", "-q", str(origin), "jamdash")
    clone = tmp / "jamdash"
    subprocess.run(["bash", ".ci/release"], cwd=clone, env={**os.environ, **GIT_ID}, check=True,
                   capture_output=True, text=True)
    return clone
