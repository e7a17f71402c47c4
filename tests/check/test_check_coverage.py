"""Coverage: panel queries read declared series only; every spec metric is shown, alerted on or exempted."""

from __future__ import annotations

import pytest

import json
from pathlib import Path

from jamdash.check import coverage, dashboards
from jamdash.generate import generate_all
from jamdash.model import Model
from jamdash.pipeline import build
from jamdash.promql.catalog import exported_series

SPEC = """\
version: 1
service: jam
max_series: 100
labels:
  store:
    help: The backing store.
    values: [memory, postgres]
metrics:
  jam_requests_total:
    type: counter
    help: Requests answered.
    labels: [store]
  jam_errors_total:
    type: counter
    help: Requests that failed.{waiver}
  jam_queue_depth:
    type: gauge
    help: Requests waiting.
dashboards:
  target_metric: jam_queue_depth
  boards:
    main:
      title: Main
      panels:
        - title: Requests
          kind: rate
          metric: jam_requests_total
        - title: Queue
          kind: value
          metric: jam_queue_depth
"""
WAIVER = """
    waivers:
      - rule: metric-coverage
        reason: Only the error budget alert reads it."""
RULES = """\
groups:
  - name: jam
    rules:
      - record: job:jam_errors:rate5m
        expr: sum by (job) (rate(jam_errors_total[5m]))
      - alert: JamErrors
        expr: job:jam_errors:rate5m > 1
"""


def _model(tmp_path: Path, waiver: str = "") -> Model:
    spec = tmp_path / "metrics_spec.yaml"
    spec.write_text(SPEC.format(waiver=waiver), encoding="utf-8")
    result = build(str(spec))
    assert result.model is not None, result.findings
    return result.model


def test_a_metric_on_no_dashboard_and_in_no_rule_is_reported_at_its_declaration(tmp_path: Path) -> None:
    model = _model(tmp_path)
    found = dashboards.coverage_findings(model, generate_all(model))
    assert [(f.rule, f.line, f.column) for f in found] == [("metric-coverage", 13, 3)]
    assert "jam_errors_total" in found[0].message


def test_a_metric_coverage_waiver_with_a_reason_exempts_it(tmp_path: Path) -> None:
    model = _model(tmp_path, WAIVER)
    assert dashboards.coverage_findings(model, generate_all(model)) == []


def test_a_metric_read_by_a_generated_rule_counts_as_covered(tmp_path: Path) -> None:
    model = _model(tmp_path)
    files = {**generate_all(model), "prometheus/jam_alerts.rules.yaml": RULES}
    used, _ = coverage.usage(model, files)
    assert used["jam_errors_total"] == {"rules prometheus/jam_alerts.rules.yaml"}
    assert dashboards.coverage_findings(model, files) == []


def test_a_panel_may_read_a_recording_rule_and_that_covers_its_source_metric(tmp_path: Path) -> None:
    model = _model(tmp_path, WAIVER)
    files = dict(generate_all(model))
    d = json.loads(files["grafana/dashboards/jam-main.json"])
    d["panels"][0]["targets"][0]["expr"] = 'sum(job:jam_errors:rate5m{job=~"$job",instance=~"$instance"})'
    files["grafana/dashboards/jam-main.json"] = json.dumps(d)
    files["prometheus/jam_recording.rules.yaml"] = RULES
    used, undeclared = coverage.usage(model, files)
    assert "dashboard jam-main" in used["jam_errors_total"] and undeclared == {}


def test_a_panel_reading_an_undeclared_series_is_reported_at_the_panel(tmp_path: Path) -> None:
    model = _model(tmp_path, WAIVER)
    files = dict(generate_all(model))
    d = json.loads(files["grafana/dashboards/jam-main.json"])
    d["panels"][1]["targets"][0]["expr"] = 'sum(jam_queue_size{job=~"$job",instance=~"$instance"})'
    files["grafana/dashboards/jam-main.json"] = json.dumps(d)
    found = [f for f in dashboards.dashboard_findings(model, files) if f.rule == coverage.RULE_UNDECLARED]
    assert model.dashboards is not None
    queue = model.dashboards.board("main").panels[1].position
    assert [(f.line, f.column) for f in found] == [(queue.line, queue.column)]
    assert "'jam_queue_size'" in found[0].message


def test_histogram_series_count_as_their_metric() -> None:
    from conftest import SPEC as REPO_SPEC

    model = build(str(REPO_SPEC)).model
    assert model is not None
    series = exported_series(model.metrics)
    assert series["jam_package_process_duration_seconds_bucket"] == "jam_package_process_duration_seconds"
    assert "jam_package_process_total_bucket" not in series


def test_a_coverage_waiver_on_a_shown_metric_is_reported_unused(tmp_path: Path) -> None:
    spec = SPEC.format(waiver="").replace("    help: Requests waiting.", "    help: Requests waiting." + WAIVER)
    path = tmp_path / "metrics_spec.yaml"
    path.write_text(spec, encoding="utf-8")
    model = build(str(path)).model
    assert model is not None
    found = dashboards.coverage_findings(model, generate_all(model))
    assert [(f.rule, f.severity) for f in found] == [("metric-coverage", "error"), ("waiver-unused", "warning")]
    assert "jam_queue_depth" in found[1].message and "dashboard jam-main" in found[1].message


def test_the_summary_counts_shown_exempted_and_uncovered_metrics(tmp_path: Path) -> None:
    model = _model(tmp_path, WAIVER)
    assert dashboards.coverage_summary(model, generate_all(model)) == (
        "metric coverage: 2 of 3 spec metrics on a dashboard or in a rule, 1 exempted, 0 uncovered")


@pytest.mark.slow
def test_jamdash_lint_fails_on_an_uncovered_metric_and_prints_the_summary(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from jamdash.cli import cli

    spec = tmp_path / "metrics_spec.yaml"
    spec.write_text(SPEC.format(waiver=""), encoding="utf-8")
    result = CliRunner().invoke(cli, ["lint", "--spec", str(spec)])
    assert result.exit_code == 1
    assert "metrics_spec.yaml:13:3: error: [metric-coverage] 'jam_errors_total'" in result.stdout
    assert "metric coverage: 2 of 3 spec metrics on a dashboard or in a rule, 0 exempted, 1 uncovered" in result.stderr
    spec.write_text(SPEC.format(waiver=WAIVER), encoding="utf-8")
    assert CliRunner().invoke(cli, ["lint", "--spec", str(spec)]).exit_code == 0
