"""A real SIGKILL of `jamdash generate` at the swap: a whole tree stays, and the next run cleans up."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GENERATED, ROOT, SPEC

# Runs the real CLI, with one function of jamdash.write wrapped to SIGKILL the process
# right before or right after it: the moments a kill does the most harm.
KILLED = """
import os, signal, sys
from jamdash import write
name, when = sys.argv[1], sys.argv[2]
real = getattr(write, name) if name != "replace" else write.os.replace
def killing(*args):
    if name == "replace" and ".new-" not in str(args[0]):
        return real(*args)  # only the second rename of the two-step swap: staging -> out
    if when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = real(*args)
    os.kill(os.getpid(), signal.SIGKILL)
    return result
if name == "replace":
    write._exchange = lambda a, b: False  # the two-rename swap, as off Linux
    write.os.replace = killing
else:
    setattr(write, name, killing)
from jamdash.cli import main
main(["generate", "--spec", sys.argv[3], "--out", sys.argv[4]])
"""


def _generate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize(("name", "when"), [("_exchange", "before"), ("_exchange", "after"),
                                            ("_stage", "after"), ("replace", "before"), ("replace", "after")])
def test_a_kill_at_the_swap_leaves_a_whole_tree_and_the_next_run_cleans_up(tmp_path: Path, name: str,
                                                                           when: str) -> None:
    out = tmp_path / "generated"
    # not a __pycache__ an import with bytecode caching on may have left in generated/python
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("__pycache__"))
    expected = _tree(out)
    (out / "python" / "jam_metrics.py").write_text("# an older output\n")  # so old and new differ
    old = _tree(out)

    killed = _generate("-c", KILLED, name, when, str(SPEC), str(out))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "generated")
    if name == "replace" and when == "before":  # killed between the two renames: the next run undoes it
        assert not out.exists() and len(leftovers) == 2
    else:
        assert _tree(out) in (old, expected), "a mix of the old and new trees"

    done = _generate("-m", "jamdash.cli", "generate", "--spec", str(SPEC), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert _tree(out) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated"]


@pytest.mark.parametrize("folder", [".generated.new-abc123", ".generated.old-def456"])
def test_staging_folders_are_ignored_by_git(folder: str) -> None:
    done = subprocess.run(["git", "check-ignore", "--no-index", f"{folder}/python/jam_metrics.py"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{folder} is not ignored: {done.stdout}{done.stderr}"
