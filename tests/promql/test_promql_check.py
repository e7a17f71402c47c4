"""In-process PromQL checks against the spec's catalog: each problem by its rule id, and result labels."""

from __future__ import annotations

from functools import cache

import pytest
from conftest import SPEC

from jamdash.pipeline import build
from jamdash.promql.catalog import SeriesKind, catalog
from jamdash.promql.check import check


@cache
def series() -> dict[str, SeriesKind]:
    model = build(str(SPEC)).model
    assert model is not None
    return catalog(model)


def rules_of(expr: str) -> list[str]:
    return [p.rule for p in check(expr, series(), 15)[1]]


@pytest.mark.parametrize(("expr", "rule"), [
    ("sum(rate(jam_package_process_total[5m])", "promql-parse"),
    ("jam_nope_total", "promql-unknown-metric"),
    ("jam_package_process_duration_seconds", "promql-histogram-name"),
    ('jam_package_process_total{stor="memory"}', "promql-unknown-label"),
    ("sum by (nope) (jam_package_pending_gauge)", "promql-unknown-label"),
    ("jam_package_pending_gauge / on (nope) jam_config_max_pending_packages", "promql-unknown-label"),
    ('jam_package_process_total{store="disk"}', "promql-label-value"),
    ('jam_package_process_total{store=~"disk|tape"}', "promql-label-value"),
    ("rate(jam_package_process_total[30s])", "promql-rate-window"),
    ("max_over_time(jam_package_pending_gauge[30s:15s])", "promql-rate-window"),
    ("rate(jam_package_pending_gauge[5m])", "promql-counter-function"),
    ("increase(job_store:jam_package_process:rate5m[10m])", "promql-counter-function"),
    ("histogram_quantile(0.9, sum by (le) (rate(jam_package_process_duration_seconds_count[5m])))",
     "promql-histogram-quantile"),
    ("histogram_quantile(0.9, sum by (job) (rate(jam_package_process_duration_seconds_bucket[5m])))",
     "promql-histogram-quantile"),
])
def test_each_problem_is_found(expr: str, rule: str) -> None:
    assert rule in rules_of(expr)


@pytest.mark.parametrize("expr", [
    "sum by (job, store) (rate(jam_package_process_total[1m]))",
    'jam_package_process_total{store=~"mem.*", job="anything"}',
    'jam_package_process_total{store!="disk"}',
    "histogram_quantile(0.99, sum by (job, le) (rate(jam_package_process_duration_seconds_bucket[5m])))",
    "rate(jam_package_process_duration_seconds_count[5m])",
    "job_store:jam_package_process:rate5m > 1",
    'up{job="jam", instance="x"} == 0',
    "time() - max by (job, store) (jam_cleanup_last_success_timestamp_seconds) > 7200",
])
def test_sound_expressions_pass(expr: str) -> None:
    assert rules_of(expr) == []


@pytest.mark.parametrize(("expr", "labels"), [
    ("sum by (job, store) (rate(jam_package_process_total[5m]))", {"job", "store"}),
    ("sum without (instance) (jam_package_pending_gauge)", {"job", "store"}),
    ('absent(jam_package_process_total{job="jam", store=~"m.*"})', {"job"}),
    ("histogram_quantile(0.5, sum by (job, stage, le) (rate(jam_package_stage_duration_seconds_bucket[5m])))",
     {"job", "stage"}),
    ("sum by (job, store) (jam_package_pending_gauge) / on (job) group_left max by (job) "
     "(jam_config_max_pending_packages)", {"job", "store"}),
    ("job_store:jam_package_process:rate5m / on (job) job:jam_package_process:rate5m", {"job"}),
    ("job_store:jam_package_process:rate5m > 0.1 and on (job, store) job_store:jam_package_process:rate5m > 1",
     {"job", "store"}),
    ("time()", None),
])
def test_result_labels_follow_prometheus(expr: str, labels: set[str] | None) -> None:
    found, problems = check(expr, series(), 15)
    assert problems == []
    assert found == (frozenset(labels) if labels is not None else None)


def test_recorded_series_carry_the_values_of_their_source_labels() -> None:
    recorded = series()["job_store:jam_package_process:rate5m"]
    assert recorded.kind == "recorded"
    assert recorded.labels["store"] == ("memory", "postgres", "other")
    assert recorded.labels["job"] is None
