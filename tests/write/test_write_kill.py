"""A real SIGKILL of `jamdash generate` at the swap: a whole tree stays, and the next run cleans up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from speckit import WITH_RULES, write_spec

from jamdash.cli import cli

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
    # a small spec's output (a dozen files in seven folders): the subject is the swap, not what is swapped
    (tmp_path / "spec").mkdir()
    spec = write_spec(tmp_path / "spec", WITH_RULES)
    out = tmp_path / "generated"
    first = CliRunner().invoke(cli, ["generate", "--spec", str(spec), "--out", str(out)])
    assert first.exit_code == 0, first.output
    expected = _tree(out)
    (out / "python" / "jam_metrics.py").write_text("# an older output\n")  # so old and new differ
    old = _tree(out)

    killed = _generate("-c", KILLED, name, when, str(spec), str(out))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("generated", "spec"))
    if name == "replace" and when == "before":  # killed between the two renames: the next run undoes it
        assert not out.exists() and len(leftovers) == 2
    else:
        assert _tree(out) in (old, expected), "a mix of the old and new trees"

    done = _generate("-m", "jamdash.cli", "generate", "--spec", str(spec), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert _tree(out) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated", "spec"]


@pytest.mark.parametrize("folder", [".generated.new-abc123", ".generated.old-def456"])
def test_staging_folders_are_ignored_by_git(folder: str) -> None:
    done = subprocess.run(["git", "check-ignore", "--no-index", f"{folder}/python/jam_metrics.py"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{folder} is not ignored: {done.stdout}{done.stderr}"
