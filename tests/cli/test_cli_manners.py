"""CLI manners: examples in every --help, --version, --quiet/--verbose, colour, exit codes, completion, paths."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SPEC, require_tool
from speckit import BASE, write_spec  # noqa: F401

from jamdash import __version__
from jamdash.cli import COMMANDS, cli

JAMDASH = str(Path(sys.executable).parent / "jamdash")
NO_DASHBOARD = "{rule: metric-coverage, reason: a test spec without dashboards}"
CLEAN = BASE + f"    waivers: [{NO_DASHBOARD}]\n"
# CLEAN plus a metric whose name breaks a naming rule (an error) ...
BROKEN = CLEAN + f"  jam_things_ms:\n    type: gauge\n    help: Things.\n    waivers: [{NO_DASHBOARD}]\n"
# ... or a label no metric uses (a warning only).
WARNED = CLEAN.replace("labels:\n", "labels:\n  unused:\n    help: Nothing.\n    values: [a]\n", 1)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_help_shows_an_example(name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    example = result.output.split("Example:", 1)
    assert len(example) == 2, f"jamdash {name} --help has no example"
    assert f"jamdash {name}" in example[1]


def test_top_level_help_lists_commands_an_example_and_exit_codes() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.output
    assert "Example:" in result.output
    assert "Exit codes: 0 ok, 1 findings or drift, 2 usage error or missing tool." in result.output


def test_version() -> None:
    result = subprocess.run([JAMDASH, "--version"], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, f"jamdash, version {__version__}\n")


@pytest.mark.slow
def test_quiet_prints_only_errors_and_verbose_says_each_step(tmp_path: Path) -> None:
    require_tool("promtool")
    spec = str(write_spec(tmp_path, WARNED))
    assert ": warning: [" in run("lint", "--spec", spec).stdout
    quiet = run("-q", "lint", "--spec", spec)
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    out = str(tmp_path / "gen")
    assert run("-q", "generate", "--spec", spec, "--out", out).stderr == ""
    normal = run("generate", "--spec", spec, "--out", out).stderr
    assert "wrote" in normal and "read " not in normal
    verbose = run("-v", "generate", "--spec", spec, "--out", out).stderr
    assert "read " in verbose and "python/jam_metrics.py" in verbose and "docs/metrics.md" in verbose
    broken = run("-q", "lint", "--spec", str(write_spec(tmp_path, BROKEN, "broken.yaml")))
    assert broken.exit_code == 1 and ": error: [base-unit]" in broken.stdout


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run jamdash with stdout and stderr on a pseudo-terminal; what it printed."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([JAMDASH, *args], stdout=follower, stderr=follower, stdin=subprocess.DEVNULL,
                              env=env, timeout=60, check=False)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal is drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.returncode == 1
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(leader)


@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False), ("", True)])
def test_colour_only_on_a_terminal_and_no_color_respected(tmp_path: Path, no_color: str | None,
                                                          coloured: bool) -> None:
    spec = str(write_spec(tmp_path, BROKEN))
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    if no_color is not None:
        env["NO_COLOR"] = no_color  # set but empty does not count (https://no-color.org)
    for args in (["lint", "--spec", spec], ["generate", "--spec", spec, "--check"]):
        text = _on_a_terminal(args, env)
        assert "[base-unit]" in text
        assert ("\x1b[31m" in text) == coloured, args
    piped = subprocess.run([JAMDASH, "lint", "--spec", spec], capture_output=True, text=True, env=env, timeout=60)
    assert "[base-unit]" in piped.stdout and "\x1b[" not in piped.stdout + piped.stderr


@pytest.mark.parametrize(("args", "code"), [
    (["lint"], 0),
    (["lint", "--spec", "{broken}"], 1),
    (["generate", "--check", "--out", "{empty}"], 1),
    (["lint", "--no-such-option"], 2),
    (["lint", "--spec", "{missing}"], 2),
    (["no-such-command"], 2),
    (["diff"], 2),  # --base is required
])
def test_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int) -> None:
    if args == ["lint"]:
        require_tool("promtool")
    write_spec(tmp_path, CLEAN)
    monkeypatch.chdir(tmp_path)
    paths = {"broken": str(write_spec(tmp_path, BROKEN, "broken.yaml")), "empty": str(tmp_path / "nothing"),
             "missing": str(tmp_path / "nope.yaml")}
    assert run(*(a.format(**paths) for a in args)).exit_code == code


def test_a_missing_tool_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_spec(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))  # no git
    result = run("diff", "--base", "HEAD")
    assert result.exit_code == 2 and "git is not installed" in result.stderr


def test_readme_documents_exit_codes_and_completion() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for row in ("| 0 |", "| 1 |", "| 2 |"):
        assert row in readme
    assert 'eval "$(_JAMDASH_COMPLETE=bash_source jamdash)"' in readme
    assert "_JAMDASH_COMPLETE=zsh_source" in readme and "_JAMDASH_COMPLETE=fish_source" in readme


def test_shell_completion_script_and_completing_a_command() -> None:
    script = subprocess.run([JAMDASH], env={**os.environ, "_JAMDASH_COMPLETE": "bash_source"},
                            capture_output=True, text=True, timeout=60)
    assert script.returncode == 0 and "_jamdash_completion()" in script.stdout
    env = {**os.environ, "_JAMDASH_COMPLETE": "bash_complete", "COMP_WORDS": "jamdash di", "COMP_CWORD": "1"}
    completed = subprocess.run([JAMDASH], env=env, capture_output=True, text=True, timeout=60)
    assert completed.stdout.split() == ["plain,diff"]
    env |= {"COMP_WORDS": "jamdash lint --for", "COMP_CWORD": "2"}
    completed = subprocess.run([JAMDASH], env=env, capture_output=True, text=True, timeout=60)
    assert completed.stdout.split() == ["plain,--format"]


def test_paths_are_shown_relative_to_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sub = tmp_path / "obs"
    sub.mkdir()
    spec = write_spec(sub, BROKEN)
    monkeypatch.chdir(tmp_path)
    for given in (str(spec), "./obs/metrics_spec.yaml", "obs/../obs/metrics_spec.yaml"):
        assert run("lint", "--spec", given).stdout.startswith("obs/metrics_spec.yaml:"), given
    good = write_spec(sub, BASE, "good.yaml")
    result = run("generate", "--spec", str(good), "--out", str(tmp_path / "gen"), "--check")
    assert "missing: gen/README.md" in result.stderr
    assert str(tmp_path) not in result.stderr


def test_a_spec_that_is_not_a_regular_file_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)  # no writer: opening it would block forever
    for argv in (["lint", "--spec", str(fifo)], ["generate", "--spec", str(fifo), "--out", str(tmp_path / "g")],
                 ["generate", "--spec", "/dev/null", "--out", str(tmp_path / "g")]):
        done = subprocess.run([sys.executable, "-m", "jamdash.cli", *argv], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 2, done.stderr
        assert "is not a regular file" in done.stderr and "Traceback" not in done.stderr


def test_an_out_path_the_system_refuses_is_one_line(tmp_path: Path) -> None:
    for out in (tmp_path / ("a" * 300), tmp_path / ("a" * 300) / "x"):
        done = subprocess.run([sys.executable, "-m", "jamdash.cli", "generate", "--spec", str(SPEC), "--out",
                               str(out)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done.stderr
        assert "File name too long" in done.stderr and "Traceback" not in done.stderr
        assert max(len(line) for line in done.stderr.splitlines()) < 200
