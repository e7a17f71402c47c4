"""Thresholds that measure what they say and descriptions that say what fired: quantile thresholds against
bucket bounds, units of thresholds, windows named in descriptions and counts printed whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from speckit import report

from jamdash.pipeline import build

BASE = """\
version: 1
service: jam
max_series: 100
labels:
  store: {help: The store., values: [memory, postgres]}
metrics:
  jam_jobs_total: {type: counter, help: Jobs., labels: [store]}
  jam_job_seconds: {type: histogram, unit: seconds, help: Job time., labels: [store], buckets: [0.5, 1, 2, 3, 5, 10]}
alerting:
  runbook_url: https://example.org/runbooks#{anchor}
alerts:
  JamJobs:
    severity: warning
    for: 5m
    summary: Jobs.
"""


def findings(tmp_path: Path, alert: str) -> list[str]:
    return report(tmp_path, BASE + alert)


def quantile(above: float, description: str = "p99 {{ $value | humanizeDuration }} (threshold {above_duration})") -> str:
    return (f'    description: "{description}"\n'
            f"    quantile: {{histogram: jam_job_seconds, quantile: 0.99, window: 5m, above: {above}, min_rate: 1}}\n")


def test_a_quantile_threshold_between_close_bounds_is_clean(tmp_path: Path) -> None:
    assert findings(tmp_path, quantile(2.5)) == []


@pytest.mark.parametrize(("above", "says"), [
    (2, "is a bucket bound of jam_job_seconds: observations just above it read as anywhere up to 3"),
    (7, "lies in the bucket 5..10 of jam_job_seconds, 71% of the threshold wide (at most 50%)"),
    (10, "is not below the last bucket bound of jam_job_seconds (10)"),
    (0.2, "lies in the bucket 0..0.5 of jam_job_seconds, 250% of the threshold wide"),
])
def test_a_quantile_threshold_on_a_bound_or_between_far_bounds_is_a_warning(tmp_path: Path, above: float,
                                                                          says: str) -> None:
    [finding] = findings(tmp_path, quantile(above))
    assert finding.startswith("s:17:79: warning: [quantile-threshold-buckets] JamJobs's threshold")
    assert says in finding


def test_a_duration_value_next_to_a_threshold_in_seconds_is_a_warning(tmp_path: Path) -> None:
    assert findings(tmp_path, quantile(2.5, "p99 {{ $value | humanizeDuration }} (threshold {above}s)")) == [
        "s:16:18: warning: [alert-description-units] JamJobs prints its value with humanizeDuration but the "
        "threshold as the number {above}; write {above_duration}"]


def test_a_percentage_value_next_to_a_share_is_a_warning(tmp_path: Path) -> None:
    alert = ('    description: "{{ $value | humanizePercentage }} failed (threshold {above})"\n'
             "    ratio: {errors: jam_jobs_total, total: jam_jobs_total, window: 5m, above: 0.1, min_total_rate: 1}\n")
    assert findings(tmp_path, alert) == [
        "s:16:18: warning: [alert-description-units] JamJobs prints its value with humanizePercentage but the "
        "threshold as the share {above}; write {above_percent}"]


def raw(expr: str, description: str) -> str:
    return (f'    description: "{description}"\n    expr: "{expr}"\n    tests:\n      - name: fires\n'
            "        interval: 1m\n        eval_time: 10m\n"
            "        series: [{series: 'jam_jobs_total{job=\"jam\", instance=\"i\", store=\"memory\"}', values: '0+100x10'}]\n"
            "        fires: true\n        labels: {job: jam}\n        value: 1\n")


def test_a_window_named_in_an_or_of_windows_is_a_warning(tmp_path: Path) -> None:
    expr = ("sum by (job) (rate(jam_jobs_total[1h])) > 1 and on (job) sum by (job) (rate(jam_jobs_total[5m])) > 1 "
            "or sum by (job) (rate(jam_jobs_total[6h])) > 1")
    assert findings(tmp_path, raw(expr, "{{ $value }} jobs per second over the last 1h")) == [
        "s:12:3: warning: [alert-description-window] alert JamJobs: the description names the window 1h, but the "
        "expression is an `or` of conditions over different windows and cannot say which one fired; split it "
        "into one alert per condition"]
    assert findings(tmp_path, raw(expr, "{{ $value }} jobs per second")) == []


def test_a_window_the_expression_does_not_read_is_a_warning(tmp_path: Path) -> None:
    expr = "sum by (job) (rate(jam_jobs_total[5m])) > 1"
    assert findings(tmp_path, raw(expr, "{{ $value }} jobs per second over the last 30m")) == [
        "s:12:3: warning: [alert-description-window] alert JamJobs: the description names the window 30m, which "
        "the expression does not read (its windows: 300s)"]
    assert findings(tmp_path, raw(expr, "{{ $value }} jobs per second over the last 5m")) == []


def test_an_unrounded_increase_printed_as_a_count_is_a_warning(tmp_path: Path) -> None:
    expr = "sum by (job) (increase(jam_jobs_total[1h])) > 1"
    assert findings(tmp_path, raw(expr, "{{ $value | humanize }} jobs in the last 1h")) == [
        "s:12:3: warning: [alert-description-count] alert JamJobs: $value is an increase(), which extrapolates "
        "(one event reads as 1.02); wrap it in round() or print it with printf \"%.0f\""]
    assert findings(tmp_path, raw(f"round({expr.split(' > ')[0]}) > 1", "{{ $value }} jobs in the last 1h")) == []
    assert findings(tmp_path, raw(expr, '{{ $value | printf \\"%.0f\\" }} jobs in the last 1h')) == []


def test_an_increase_intent_counts_whole_events(tmp_path: Path) -> None:
    alert = ('    description: "{{ $value }} jobs over the last {window}"\n'
             "    increase: {metric: jam_jobs_total, window: 1h, above: 1}\n")
    assert findings(tmp_path, alert) == []
    spec = tmp_path / "metrics_spec.yaml"
    model = build(str(spec)).model
    assert model and model.rules.alerts[0].expr == "round(job:jam_jobs:increase1h) > 1"
