"""check/promtool.py remembers passing promtool runs by their input: an unchanged file is not run
again, a changed or failing one is, and JAMDASH_NO_CACHE (lint --no-cache, CI) runs everything."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GENERATED, ROOT, require_tool
from speckit import WITH_RULES, write_spec

from jamdash.cache import NO_CACHE_ENV
from jamdash.check import promtool
from jamdash.generate import generate_all
from jamdash.model import Model
from jamdash.pipeline import build

pytestmark = pytest.mark.slow

SMALL_TESTS = ("JamTargetDown.test.yaml", "jam_recording_every_2m30s.test.yaml")


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A promtool that logs each call's arguments to the returned file, then runs the real one;
    the cache in a fresh folder, switched on."""
    real = require_tool("promtool")
    log = tmp_path / "calls.log"
    wrapper = tmp_path / "bin" / "promtool"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {real} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("JAMDASH_PROMTOOL", str(wrapper))
    monkeypatch.setenv("JAMDASH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    log.touch()
    return log


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """The generated rule files and two of their test files."""
    folder = tmp_path / "generated" / "prometheus"
    (folder / "tests").mkdir(parents=True)
    for rules in (GENERATED / "prometheus").glob("*.rules.yaml"):
        shutil.copy(rules, folder)
    for name in SMALL_TESTS:
        shutil.copy(GENERATED / "prometheus" / "tests" / name, folder / "tests")
    return folder.parent


def taken(log: Path) -> list[str]:
    """The files promtool was called on since the last look, as 'check x' / 'test y' (one call per
    CPU may split the test files)."""
    lines = log.read_text().splitlines()
    log.write_text("")
    return sorted(f"{words[0]} {name}" for words in (line.split() for line in lines) for name in words[2:])


RULE_FILES = sorted(p.name for p in (GENERATED / "prometheus").glob("*.rules.yaml"))


def test_an_unchanged_input_is_not_run_again(model: Model, out: Path, calls: Path) -> None:
    assert promtool.check_rule_files(model, out) == [] and promtool.test_rule_files(model, out) == []
    assert taken(calls) == [f"check {name}" for name in RULE_FILES] + [f"test {name}" for name in SMALL_TESTS]
    assert promtool.check_rule_files(model, out) == [] and promtool.test_rule_files(model, out) == []
    assert taken(calls) == []


def test_a_changed_file_runs_alone_and_a_failure_is_not_remembered(model: Model, out: Path, calls: Path) -> None:
    assert promtool.test_rule_files(model, out) == []
    taken(calls)
    broken = out / "prometheus" / "tests" / SMALL_TESTS[0]
    broken.write_text(broken.read_text().replace("severity: critical", "severity: info", 1))
    for _ in range(2):  # the failure is reported each time: only passes are remembered
        [finding] = promtool.test_rule_files(model, out)
        assert finding.path == str(broken) and finding.rule == "promtool-test-rules" and finding.line > 1
        assert taken(calls) == [f"test {SMALL_TESTS[0]}"]


def test_a_changed_rule_file_runs_every_test_again(model: Model, out: Path, calls: Path) -> None:
    assert promtool.test_rule_files(model, out) == []
    taken(calls)
    alerts = out / "prometheus" / "jam_alerts.rules.yaml"
    alerts.write_text(alerts.read_text() + "\n")
    assert promtool.test_rule_files(model, out) == []
    assert taken(calls) == [f"test {name}" for name in SMALL_TESTS]


def test_no_cache_runs_everything(model: Model, out: Path, calls: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert promtool.test_rule_files(model, out) == []
    taken(calls)
    monkeypatch.setenv(NO_CACHE_ENV, "1")
    assert promtool.test_rule_files(model, out) == []
    assert taken(calls) == [f"test {name}" for name in SMALL_TESTS]


def test_lint_no_cache_flag_runs_promtool(calls: Path, tmp_path: Path) -> None:
    # lint checks the files the spec generates now (in a temporary folder), every one of them each time; the
    # subject is the flag, so a small spec (three rule files, two test files) rather than the repository's
    spec = write_spec(tmp_path, WITH_RULES)
    model = build(str(spec)).model
    assert model is not None
    generated = sorted(Path(path).name for path in generate_all(model) if path.startswith("prometheus/"))
    expected = sorted([f"check {name}" for name in generated if name.endswith(".rules.yaml")] +
                      [f"test {name}" for name in generated if name.endswith(".test.yaml")])
    assert len(expected) == 5
    env = {**os.environ}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "jamdash.cli", "lint", "--spec", str(spec), "--no-cache"],
                              capture_output=True, text=True, cwd=ROOT, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert taken(calls) == expected


def test_several_files_output_is_split_per_file(tmp_path: Path) -> None:
    text = ("Unit Testing:  a.test.yaml\n  SUCCESS\n\nUnit Testing:  b.test.yaml\n  FAILED:\n"
            "    name: B: fires,\n    alertname: B, time: 10m, \n        exp:[], \n        got:[]\n\n"
            "Unit Testing:  c.test.yaml\n  SUCCESS\n\n")
    sections = promtool.split_test_output(text)
    assert list(sections) == ["a.test.yaml", "b.test.yaml", "c.test.yaml"]
    assert "SUCCESS" in sections["a.test.yaml"] and "FAILED" not in sections["a.test.yaml"]
    assert "name: B: fires" in sections["b.test.yaml"] and "SUCCESS" not in sections["b.test.yaml"]
