"""Reading a file as it was at a git revision, through the git command line."""

from __future__ import annotations

import os
import shutil
import subprocess


class GitError(Exception):
    """git is missing, the folder is not a repository, or the revision does not exist (exit 2)."""


def _git(cwd: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise GitError("git is not installed; jamdash diff reads the base spec with 'git show'")
    return subprocess.run([git, "-C", cwd, *args], capture_output=True, check=False)


def file_at(rev: str, path: str) -> bytes | None:
    """The bytes of path at revision rev, or None if the file did not exist there."""
    folder, name = os.path.split(os.path.abspath(path))
    inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise GitError(f"{folder} is not in a git repository, so there is no revision to compare with")
    if _git(folder, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise GitError(f"'{rev}' is not a commit of this repository (fetch it first, e.g. git fetch origin main)")
    shown = _git(folder, "show", f"{rev}:./{name}")
    if shown.returncode == 0:
        return shown.stdout
    if _git(folder, "cat-file", "-e", f"{rev}:./{name}").returncode != 0:
        return None
    raise GitError(shown.stderr.decode("utf-8", "replace").strip())
