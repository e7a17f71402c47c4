"""`jamdash diff --base REV` in a temporary git repository, over a sequence of spec edits."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from compat_specs import (BASE, add_metric, change_unit, edited, remove_metric, rename_metric, set_field, set_label, waive,
                          write)

from conftest import SPEC

from jamdash.cli import cli

GIT_ID = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
          "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ID}, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(tmp_path, "init", "-q")
    commit(tmp_path, BASE, "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def commit(repo: Path, spec: dict[str, Any], message: str) -> None:
    write(repo / "metrics_spec.yaml", spec)
    git(repo, "add", "metrics_spec.yaml")
    git(repo, "commit", "-qm", message)


def diff(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["diff", *args])
    return result.exit_code, result.stdout, result.stderr


# Each step edits the working spec; "commit" makes it the base of the next steps.
# (edits, expected exit code, change ids that must be reported as breaking, commit afterwards)
STEPS: list[tuple[str, list[Any], int, set[str], bool]] = [
    ("add a metric", [add_metric("jam_new_total", {"type": "counter", "help": "New.", "labels": ["store"]})],
     0, set(), True),
    ("remove a metric", [remove_metric("jam_new_total")], 1, {"compat-metric-removed"}, False),
    ("rename a metric", [rename_metric("jam_uploads_total", "jam_stored_total")], 1, {"compat-metric-renamed"}, False),
    ("rename kept as deprecated", [rename_metric("jam_uploads_total", "jam_stored_total", keep_deprecated=True)],
     0, set(), True),
    ("remove the deprecated metric", [remove_metric("jam_uploads_total")], 0, set(), False),
    ("remove a label", [set_field("jam_pending", "labels", ["store"])], 1, {"compat-label-removed"}, False),
    ("rename a label", [set_label("store", "name", "backend")], 1, {"compat-label-renamed"}, False),
    ("rename a label, waived", [set_label("reason", "name", "why"), waive("jam_rejects_total", "compat-label-renamed")],
     0, set(), False),
    ("change a type", [set_field("jam_pending", "type", "histogram"), set_field("jam_pending", "buckets", [1, 10])],
     1, {"compat-type-changed"}, False),
    ("change a unit", [change_unit("jam_upload_size", "bytes")], 1, {"compat-unit-changed"}, False),
    ("change buckets", [set_field("jam_upload_duration_seconds", "buckets", [0.01, 1])],
     1, {"compat-buckets-changed"}, False),
    ("change buckets, waived", [set_field("jam_upload_duration_seconds", "buckets", [0.01, 1]),
                                waive("jam_upload_duration_seconds", "compat-buckets-changed")], 0, set(), False),
    ("remove a closed label value", [set_label("reason", "values", ["too_large"])],
     1, {"compat-label-value-removed"}, False),
]


def test_a_sequence_of_spec_edits_covering_each_breaking_kind(repo: Path) -> None:
    committed = BASE
    for title, edits, code, breaking, then_commit in STEPS:
        spec = edited(*edits, base=committed)
        write(repo / "metrics_spec.yaml", spec)
        exit_code, out, err = diff("--base", "HEAD")
        errors = {line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if ": error: [" in line}
        assert (exit_code, errors) == (code, breaking), f"{title}:\n{out}{err}"
        if then_commit:
            commit(repo, spec, title)
            committed = spec


def test_text_output_has_positions_and_affected_readers_and_a_summary(repo: Path) -> None:
    write(repo / "metrics_spec.yaml", edited(set_label("reason", "values", ["too_large"]),
                                             add_metric("jam_new_total", {"type": "counter", "help": "New."})))
    code, out, err = diff("--base", "HEAD")
    assert code == 1
    assert out.splitlines()[0].startswith("metrics_spec.yaml:")
    assert ": error: [compat-label-value-removed] label 'reason' no longer takes 'unsupported_media' on " \
           "jam_rejects_total" in out
    assert ": note: [compat-metric-added] jam_new_total added (a counter)" in out
    assert out.index("error:") < out.index("note:")  # breaking first
    assert err.strip() == "against HEAD: 1 breaking, 0 acknowledged, 1 safe"


def test_markdown_output_is_a_pull_request_comment(repo: Path) -> None:
    write(repo / "metrics_spec.yaml", edited(rename_metric("jam_uploads_total", "jam_stored_total")))
    code, out, _ = diff("--base", "HEAD", "--format", "markdown")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "### jamdash diff: `metrics_spec.yaml` against `HEAD`"
    assert lines[2].startswith("**1 breaking change**")
    assert "| status | subject | change | affects | id |" in lines
    row = next(line for line in lines if line.startswith("| **breaking** |"))
    assert "`jam_uploads_total`" in row and "`compat-metric-renamed`" in row and "renamed_to: jam_stored_total" in row
    assert "`deprecated: {reason: ..., renamed_to: NEW}`" in out  # how to fix


def test_markdown_without_changes(repo: Path) -> None:
    code, out, _ = diff("--base", "HEAD", "--format", "markdown")
    assert (code, out.splitlines()[-1]) == (0, "No metric changes.")


def test_github_format_annotates_breaking_changes_as_errors(repo: Path) -> None:
    write(repo / "metrics_spec.yaml", edited(remove_metric("jam_rejects_total")))
    code, out, _ = diff("--base", "HEAD", "--format", "github")
    assert code == 1
    assert out.startswith("::error file=metrics_spec.yaml,line=")
    assert "title=compat-metric-removed::jam_rejects_total removed (a counter)" in out


def test_a_spec_in_a_subfolder_is_read_at_its_own_path(repo: Path) -> None:
    (repo / "obs").mkdir()
    commit(repo / "obs", BASE, "spec in a subfolder")
    write(repo / "obs" / "metrics_spec.yaml", edited(remove_metric("jam_rejects_total")))
    code, out, _ = diff("--base", "HEAD", "--spec", "obs/metrics_spec.yaml")
    assert code == 1
    assert out.startswith("obs/metrics_spec.yaml:")


def test_a_spec_new_since_the_base_is_all_additions(repo: Path) -> None:
    (repo / "other").mkdir()
    write(repo / "other" / "metrics_spec.yaml", BASE)
    code, out, err = diff("--base", "HEAD", "--spec", "other/metrics_spec.yaml")
    assert code == 0
    assert out.count("[compat-metric-added]") == len(BASE["metrics"])
    assert "did not exist at HEAD" in err


def test_unknown_revision_is_a_usage_error(repo: Path) -> None:
    code, _, err = diff("--base", "no-such-branch")
    assert code == 2
    assert "'no-such-branch' is not a commit of this repository" in err


def test_outside_a_git_repository_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    write(folder / "metrics_spec.yaml", BASE)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = diff("--base", "HEAD")
    assert code == 2
    assert "is not in a git repository" in err


def test_missing_git_is_exit_2(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo))  # no git on PATH
    code, _, err = diff("--base", "HEAD")
    assert code == 2
    assert "git is not installed" in err


def test_a_broken_working_spec_reports_its_findings(repo: Path) -> None:
    write(repo / "metrics_spec.yaml", edited(set_field("jam_pending", "labels", ["nope"])))
    code, _, err = diff("--base", "HEAD")
    assert code == 1
    assert "metrics_spec.yaml:" in err and "[undeclared-label]" in err


def test_a_base_that_does_not_build_is_reported_with_the_revision(repo: Path) -> None:
    commit(repo, edited(set_field("jam_pending", "labels", ["nope"])), "broken")
    write(repo / "metrics_spec.yaml", BASE)
    code, _, err = diff("--base", "HEAD")
    assert code == 1
    assert "HEAD:metrics_spec.yaml:" in err and "[undeclared-label]" in err
    assert "the spec at HEAD does not build" in err


def test_changes_to_the_repository_spec_list_its_alerts_and_dashboards(repo: Path) -> None:
    spec = SPEC.read_text(encoding="utf-8")
    (repo / "metrics_spec.yaml").write_text(spec, encoding="utf-8")
    git(repo, "commit", "-qam", "the JAM spec")
    old = "buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]"
    assert old in spec
    (repo / "metrics_spec.yaml").write_text(spec.replace(old, old.replace("0.0025, ", "")), encoding="utf-8")
    code, out, _ = diff("--base", "HEAD")
    assert code == 1
    assert "[compat-buckets-changed] jam_preimage_put_duration_seconds changed buckets" in out
    affects = out.split("affects: ", 1)[1].splitlines()[0]
    assert "dashboard JAM preimages" in affects
