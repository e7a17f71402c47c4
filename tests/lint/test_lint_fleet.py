"""The fleet rules: the cluster label's name, rules that drop it, and ratios that mix replicas."""

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
  jam_queue_length: {type: gauge, help: Jobs waiting., labels: [store], replicas: shared}
  jam_config_max_queue_length: {type: gauge, help: The queue's cap., replicas: shared}
alerting:
  runbook_url: https://example.org/runbooks#{anchor}
alerts:
  JamQueueNearCap:
    severity: warning
    for: 5m
    summary: The queue is nearly full.
    description: "{{ $value }} in {{ $labels.store }}"
    gauge: {metric: jam_queue_length, by: [store], above: 0.8, relative_to: jam_config_max_queue_length}
"""


def test_shared_gauges_over_a_shared_cap_are_clean(tmp_path: Path) -> None:
    assert findings(tmp_path, BASE + "fleet: {cluster_label: cluster}\n") == []


def test_a_cap_combined_unlike_its_gauge_is_named(tmp_path: Path) -> None:
    text = BASE.replace("help: The queue's cap., replicas: shared", "help: The queue's cap.")
    assert findings(tmp_path, text) == [
        "s:19:77: error: [replicas-mixed] alert JamQueueNearCap's relative_to mixes jam_queue_length (replicas: "
        "shared, combined with max) and jam_config_max_queue_length (replicas: per_process, combined with sum): "
        "with several replicas it is off by their number; declare both alike"]


def test_a_ratio_of_a_shared_and_a_per_process_counter_is_named(tmp_path: Path) -> None:
    text = BASE.replace("help: Jobs., labels: [store]}", "help: Jobs., labels: [store], replicas: shared}")
    text += "slo:\n  - {name: Jobs, objective: 0.99, period: 30d, errors: jam_job_failures_total, total: jam_jobs_total," \
            " summary: Jobs burn their budget.}\n"
    out = findings(tmp_path, text)
    assert len(out) == 1 and "[replicas-mixed] SLO Jobs mixes jam_job_failures_total (replicas: per_process" in out[0]


def test_shared_histograms_and_taken_cluster_labels_are_named(tmp_path: Path) -> None:
    histogram = "  jam_job_seconds: {type: histogram, unit: seconds, help: Job time., buckets: [1, 2], replicas: shared}\n"
    text = BASE.replace("alerting:", histogram + "alerting:") + "fleet: {cluster_label: store}\n"
    rules = [line.split("[")[1].split("]")[0] for line in findings(tmp_path, text)]
    assert sorted(rules) == ["fleet-cluster-label", "replicas-histogram"]


def test_a_raw_expression_that_drops_the_cluster_label_is_named(tmp_path: Path) -> None:
    raw = """\
  JamQueueStuck:
    severity: warning
    for: 5m
    summary: The queue is stuck.
    description: "{{ $value }} in {{ $labels.store }}"
    expr: sum by (job, store) (jam_queue_length) > 10 and on (job) max by (job) (jam_config_max_queue_length) > 0
    tests:
      - name: fires
        interval: 1m
        eval_time: 10m
        series:
          - {series: 'jam_queue_length{cluster="a", job="jam", instance="i", store="memory"}', values: '20x10'}
          - {series: 'jam_config_max_queue_length{cluster="a", job="jam", instance="i"}', values: '40x10'}
        fires: true
        labels: {job: jam, store: memory}
        value: 20
"""
    out = [line for line in findings(tmp_path, BASE + raw + "fleet: {cluster_label: cluster}\n")
           if "fleet-cluster-dropped" in line]
    assert sorted(line.split("`")[1] for line in out) == [
        "max by (job)(jam_config_max_queue_length)",
        "sum by (job, store)(jam_queue_length)",
        "sum by (job, store)(jam_queue_length) > 10 and on (job) max by (job)(jam_config_max_queue_length) > 0"]
    assert all(line.startswith("s:25:11: error: [fleet-cluster-dropped] alert JamQueueStuck: ") for line in out)
