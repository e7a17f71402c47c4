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


def test_global_options_are_accepted_after_the_command_and_verbose_lint_says_each_step(tmp_path: Path) -> None:
    # issue 15 item 11: `jamdash lint -v` said "No such option '-v'"; `jamdash -v lint` printed only the count
    require_tool("promtool")
    spec = str(write_spec(tmp_path, WARNED))
    for args in (["-v", "lint", "--spec", spec], ["lint", "-v", "--spec", spec], ["lint", "--spec", spec, "--verbose"]):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert result.stderr.splitlines() == [
            f"read {spec}: load, shape, lint rules and PromQL checks: 1 findings",
            "generated 5 files in memory; dashboard-linter rules on 0 dashboards",
            "promtool check rules and test rules on the 1 Prometheus files, in a temporary folder",
            "1 findings (0 errors)"], args
    quiet = run("lint", "-q", "--spec", spec)
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    assert run("generate", "-q", "-v", "--spec", spec, "--out", str(tmp_path / "gen")).stderr == ""


def _drain(leader: int) -> str:
    """Everything written to a pseudo-terminal whose follower end is closed."""
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal is drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the jamdash console script with stdout and stderr on a pseudo-terminal; what it printed."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([JAMDASH, *args], stdout=follower, stderr=follower, stdin=subprocess.DEVNULL,
                              env=env, timeout=60, check=False)
        os.close(follower)
        assert proc.returncode == 1
        return _drain(leader)
    finally:
        os.close(leader)


def _in_process_on_a_terminal(args: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """Run jamdash's command line in this process with sys.stdout and sys.stderr on a pseudo-terminal (the
    streams jamdash asks isatty() of); what it printed. Its output is a few lines, far below what the
    terminal holds unread."""
    leader, follower = pty.openpty()
    try:
        with open(follower, "w", encoding="utf-8", closefd=False) as tty, monkeypatch.context() as patch:
            patch.setattr(sys, "stdout", tty)
            patch.setattr(sys, "stderr", tty)
            with pytest.raises(SystemExit) as done:
                cli.main(args=args, prog_name="jamdash")
            tty.flush()
        os.close(follower)
        follower = -1
        assert done.value.code == 1
        return _drain(leader)
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)


@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False), ("", True)])
def test_colour_only_on_a_terminal_and_no_color_respected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          no_color: str | None, coloured: bool) -> None:
    spec = str(write_spec(tmp_path, BROKEN))
    monkeypatch.delenv("NO_COLOR", raising=False)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)  # set but empty does not count (https://no-color.org)
    for args in (["lint", "--spec", spec], ["generate", "--spec", spec, "--check"]):
        text = _in_process_on_a_terminal(args, monkeypatch)
        assert "[base-unit]" in text
        assert ("\x1b[31m" in text) == coloured, args
    piped = run("lint", "--spec", spec)  # CliRunner's streams are no terminal, as a pipe is not
    assert "[base-unit]" in piped.stdout and "\x1b[" not in piped.stdout + piped.stderr


def test_the_console_script_colours_on_a_terminal_and_not_in_a_pipe(tmp_path: Path) -> None:
    """The test above in a real process, once each way: a terminal and a pipe as the console script's
    stdout and stderr."""
    spec = str(write_spec(tmp_path, BROKEN))
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[31m" in _on_a_terminal(["lint", "--spec", spec], env)
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
    (tmp_path / "gen").mkdir()
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
