"""`jamdash lint`: every finding on stdout in text, json or github form; exit 1 only on errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from speckit import BASE, write_spec

from jamdash.cli import cli

# `jamdash lint` also checks that every metric is on a dashboard or in a rule (jamdash/check/coverage.py)
BASE = BASE + "    waivers: [{rule: metric-coverage, reason: A lint test needs no dashboard.}]\n"
UNUSED_LABEL = BASE.replace("labels:\n", "labels:\n  zone:\n    help: Z.\n    values: [a]\n", 1)
BAD = BASE.replace("type: counter", "type: gauge")  # a gauge ending in _total


def lint(spec: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["lint", "--spec", str(spec), *args])
    return result.exit_code, result.stdout


@pytest.mark.slow
def test_clean_spec(tmp_path: Path) -> None:
    assert lint(write_spec(tmp_path, BASE)) == (0, "")


def test_text(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, BAD)
    code, out = lint(spec)
    assert code == 1
    assert out == (f"{spec}:9:3: error: [total-suffix-not-counter] only counters end in '_total', but "
                   "'jam_things_total' is a gauge: rename it 'jam_things' or make it a counter\n")


def test_paths_below_the_current_folder_are_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = lint(write_spec(tmp_path, BAD))
    assert out.startswith("metrics_spec.yaml:9:3: error: [total-suffix-not-counter]")


@pytest.mark.slow
def test_warnings_alone_do_not_fail(tmp_path: Path) -> None:
    code, out = lint(write_spec(tmp_path, UNUSED_LABEL))
    assert code == 0 and ":5:3: warning: [label-unused]" in out


@pytest.mark.slow
def test_json(tmp_path: Path) -> None:
    code, out = lint(write_spec(tmp_path, BAD), "--format", "json")
    rows = json.loads(out)
    assert code == 1
    assert [(r["line"], r["column"], r["severity"], r["rule"]) for r in rows] == [
        (9, 3, "error", "total-suffix-not-counter")]
    assert lint(write_spec(tmp_path, BASE), "--format", "json") == (0, "[]\n")


def test_github_annotations(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, BAD)
    code, out = lint(spec, "--format", "github")
    assert code == 1
    assert out.startswith(f"::error file={spec},line=9,col=3,title=total-suffix-not-counter::only counters")


def test_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["lint", "--spec", str(write_spec(tmp_path, BASE)), "--format", "xml"]).exit_code == 2
