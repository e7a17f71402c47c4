"""Spec lint and generate-time checks of alerts, recording rules and SLOs, each at its line:column."""

from __future__ import annotations

from pathlib import Path

from speckit import report as findings

BASE = """\
version: 1
service: jam
max_series: 100
labels:
  store: {help: The store., values: [memory, postgres]}
metrics:
  jam_jobs_total: {type: counter, help: Jobs., labels: [store]}
  jam_job_failures_total: {type: counter, help: Failed jobs., labels: [store]}
  jam_queue_length: {type: gauge, help: Jobs waiting., labels: [store]}
alerting:
  runbook_url: https://example.org/runbooks#{anchor}
"""
ALERT = """\
alerts:
  JamJobsFailing:
    severity: warning
    for: 5m
    summary: Jobs fail.
    description: "{{ $value }} in {{ $labels.store }}"
"""


def test_a_clean_alert_has_no_findings(tmp_path: Path) -> None:
    intent = "    ratio: {errors: jam_job_failures_total, total: jam_jobs_total, by: [store], window: 5m, " \
             "above: 0.1, min_total_rate: 1}\n"
    assert findings(tmp_path, BASE + ALERT + intent) == []


def test_intent_metric_of_the_wrong_type_points_at_the_metric(tmp_path: Path) -> None:
    intent = "    rate:\n      metric: jam_queue_length\n      window: 5m\n      above: 1\n"
    assert findings(tmp_path, BASE + ALERT + intent) == [
        "s:19:15: error: [alert-metric] 'jam_queue_length' is a gauge; this needs a counter"]


def test_by_label_and_match_value_are_checked_against_the_metric(tmp_path: Path) -> None:
    intent = ("    rate:\n      metric: {metric: jam_jobs_total, match: {store: disk}}\n"
              "      by: [shard]\n      window: 5m\n      above: 1\n")
    assert findings(tmp_path, BASE + ALERT + intent) == [
        "s:19:55: error: [alert-label] 'disk' is not a value of label 'store' (memory, postgres)",
        "s:20:12: error: [alert-label] 'shard' is not a label of jam_jobs_total (it has: store)",
    ]


def test_name_intent_count_and_missing_alerting(tmp_path: Path) -> None:
    text = BASE.replace("alerting:\n  runbook_url: https://example.org/runbooks#{anchor}\n", "") + ALERT.replace(
        "JamJobsFailing", "jobs_failing")
    assert findings(tmp_path, text) == [
        "s:10:1: error: [alerting-missing] alerts need an 'alerting' section with the runbook_url pattern",
        "s:11:3: error: [alert-intent] alert jobs_failing needs exactly one of ratio, rate, increase, gauge, "
        "quantile, target_down, absent, expr",
        "s:11:3: error: [alert-name] alert name 'jobs_failing' must be CamelCase and start with 'Jam' "
        "(e.g. JamTargetDown)",
    ]


def test_runbook_url_needs_an_anchor(tmp_path: Path) -> None:
    text = BASE.replace("#{anchor}", "") + ALERT + "    target_down: {}\n"
    assert findings(tmp_path, text)[0].startswith("s:11:16: error: [runbook-url-pattern]")


def test_raw_expr_without_a_firing_test(tmp_path: Path) -> None:
    text = BASE + ALERT + "    expr: sum by (job, store) (jam_queue_length) > 10\n"
    assert findings(tmp_path, text) == [
        "s:13:3: error: [alert-untested] alert JamJobsFailing is a raw expr without a test that fires; add one "
        "under 'tests' with fires: true, labels and value"]


def test_raw_expr_problems_point_at_the_expr(tmp_path: Path) -> None:
    text = BASE + ALERT.replace("{{ $labels.store }}", "{{ $labels.shard }} {unknown}") + (
        "    expr: sum by (job, store) (rate(jam_queue_length[30s])) > 10\n"
        "    tests:\n"
        "      - {name: fires, interval: 1m, eval_time: 5m, fires: true, labels: {job: jam}, value: 11,\n"
        "         series: [{series: 'jam_queue_length{job=\"jam\"}', values: '0+20x5'}]}\n")
    assert findings(tmp_path, text) == [
        "s:13:3: error: [alert-annotation-param] alert JamJobsFailing: description names unknown parameter(s) "
        "{unknown}",
        "s:13:3: error: [alert-annotation-template] alert JamJobsFailing: description: $labels.shard: label "
        "'shard' is not on the alert's series (they carry: job, store)",
        "s:13:3: error: [alert-test-labels] alert JamJobsFailing: test 'fires' expects labels ['job'], but the "
        "expression yields ['job', 'store']",
        "s:18:11: error: [promql-counter-function] alert JamJobsFailing: `rate(jam_queue_length[30s])`: rate() "
        "applies to counters only, and jam_queue_length is a gauge",
        "s:18:11: error: [promql-rate-window] alert JamJobsFailing: `jam_queue_length[30s]`: the 30s window is "
        "shorter than 4 × scrape_interval (60s); rates over it are noisy or empty",
    ]


def test_recording_rule_window_too_short_points_at_its_entry(tmp_path: Path) -> None:
    text = BASE + "recording_rules:\n  - {rate: jam_jobs_total, windows: [30s]}\n"
    assert findings(tmp_path, text) == [
        "s:13:5: error: [promql-rate-window] recording rule job:jam_jobs:rate30s: `jam_jobs_total{job=\"jam\"}[30s]`: the 30s "
        "window is shorter than 4 × scrape_interval (60s); rates over it are noisy or empty"]


def test_recording_rule_needs_one_kind_and_counters(tmp_path: Path) -> None:
    text = BASE + ("recording_rules:\n  - {rate: jam_queue_length, windows: [5m]}\n"
                   "  - {rate: jam_jobs_total, histogram: jam_jobs_total, windows: [5m]}\n")
    assert findings(tmp_path, text) == [
        "s:13:12: error: [alert-metric] 'jam_queue_length' is a gauge; this needs a counter",
        "s:14:5: error: [recording-rule-kind] a recording rule needs exactly one of rate, increase, ratio and "
        "histogram",
    ]


def test_slo_period_that_does_not_divide_and_short_windows(tmp_path: Path) -> None:
    text = BASE + ("slo:\n  - {name: Jobs, objective: 0.99, period: 1d, errors: jam_job_failures_total,\n"
                   "     total: jam_jobs_total, summary: Jobs fail.}\n")
    found = findings(tmp_path, text)
    assert found and all(line.startswith("s:13:5: error: [promql-rate-window]") for line in found)
    assert any("rate10s" in line for line in found)  # 1d / 720 / 12 = 10s < 4 × 15s


def test_a_short_alert_window_points_at_the_alerts_window(tmp_path: Path) -> None:
    # issue 15 item 3: the recording rule the alert asks for is reported where the alert asks for it
    intent = "    increase:\n      metric: jam_job_failures_total\n      by: [store]\n      window: 10s\n"
    assert findings(tmp_path, BASE + ALERT + intent) == [
        "s:21:15: error: [promql-rate-window] recording rule job_store:jam_job_failures:increase10s: "
        "`jam_job_failures_total{job=\"jam\"}[10s]`: the 10s window is shorter than 4 × scrape_interval (60s); "
        "rates over it are noisy or empty"]
