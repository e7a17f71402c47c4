"""Rules resolved from the spec: names by convention, PromQL built from intents, SLO windows as data."""

from __future__ import annotations

from functools import cache

import pytest
from conftest import SPEC

from jamdash import conventions
from jamdash.model import Model
from jamdash.pipeline import build
from jamdash.resolve.slo import burn_window
from jamdash.spec.alerts import DEFAULT_BURN_WINDOWS
from jamdash.spec.common import duration_ms


@cache
def model() -> Model:
    result = build(str(SPEC))
    assert result.model is not None, result.findings
    return result.model


def alert(name: str) -> str:
    return next(a.expr for a in model().rules.alerts if a.name == name)


def test_recorded_names_follow_level_metric_operations() -> None:
    assert conventions.rate_record("jam_package_process_total", ["store"], "5m") == \
        "job_store:jam_package_process:rate5m"
    assert conventions.quantile_record("jam_x_seconds", 0.99, [], "5m") == "job:jam_x_seconds:p99_rate5m"
    assert conventions.quantile_record("jam_x_seconds", 0.5, [], "5m") == "job:jam_x_seconds:p50_rate5m"
    assert conventions.ratio_record("jam", "jam_package_process_fail_total", "jam_package_process_total",
                                    ["store"], "1h") == "job_store:jam_package_process_fail_per_package_process:ratio_rate1h"
    assert conventions.runbook_url("https://x/runbooks.md#{anchor}", "JamTargetDown") == "https://x/runbooks.md#jamtargetdown"
    assert conventions.dashboard_path("processing", "jam") == "/d/jam-processing/processing"


def test_per_instance_recording_rules_keep_instance_for_dashboards() -> None:
    rules = {r.record: r for r in model().rules.recording}
    p99 = rules["job_instance_store:jam_package_process_duration_seconds:p99_rate5m"]
    assert p99.labels == ("job", "instance", "store")
    assert 'sum by (job, instance, store, le) (rate(jam_package_process_duration_seconds_bucket{job="jam"}[5m]))' in p99.expr
    ratio = rules["job_instance_store:jam_package_process_fail_per_package_process:ratio_rate5m"]
    assert "/ on (job, instance, store)" in ratio.expr
    # the alert's own series are untouched: it still aggregates by (job, store)
    assert "job_store:jam_package_process_fail:rate5m" in alert("JamPackageProcessFailureRate")


def test_the_plans_four_alerts_are_built_from_their_intents() -> None:
    assert alert("JamPackageProcessFailureRate") == (
        "job_store:jam_package_process_fail:rate5m / on (job, store) job_store:jam_package_process:rate5m > 0.05"
        " and on (job, store) job_store:jam_package_process:rate5m >= 0.05")
    assert alert("JamRateLimitHitsSustained") == "job:jam_rate_limit_hits:rate5m > 1"
    assert alert("JamCleanupFailing") == "round(job_store:jam_cleanup_failures:increase1h) > 1"
    assert alert("JamPendingQueueNearCap") == (
        'max by (job, store) (jam_package_pending_gauge{job="jam"}) / on (job) group_left max by (job) '
        '(jam_config_max_pending_packages{job="jam"}) > 0.8')


def test_alerts_read_recorded_series_that_exist() -> None:
    records = {r.record for r in model().rules.recording}
    for name in ("JamPackageProcessFailureRate", "JamRateLimitHitsSustained", "JamPackageProcessLatencyHigh"):
        used = {word for word in alert(name).replace("(", " ").split() if word.count(":") == 2}
        assert used and used <= records, (name, used - records)


def test_matched_selection_narrows_and_sums_a_recorded_series() -> None:
    assert "sum by (job) (job_endpoint:jam_http_requests:rate10m{endpoint=\"preimage_put\"})" in \
        alert("JamPreimageQuotaRejectSurge")


@pytest.mark.parametrize(("index", "long", "short", "factor"), [
    (0, "1h", "5m", 14.4), (1, "6h", "30m", 6.0), (2, "1d", "2h", 3.0), (3, "3d", "6h", 1.0)])
def test_burn_windows_are_computed_from_the_period(index: int, long: str, short: str, factor: float) -> None:
    window = burn_window(DEFAULT_BURN_WINDOWS[index], duration_ms("30d"), 0.99)
    assert (window.long, window.short, window.factor) == (long, short, factor)
    assert window.threshold == pytest.approx(factor * 0.01)


def test_burn_windows_scale_with_the_period() -> None:
    window = burn_window(DEFAULT_BURN_WINDOWS[0], duration_ms("12h"), 0.9)
    assert (window.long, window.short, window.factor, window.threshold) == ("1m", "5s", 14.4, 1.44)


def test_slo_alerts_page_and_ticket_one_rule_per_window_pair() -> None:
    rules = [a for a in model().rules.alerts if a.name == "JamProcessingSuccessBudgetBurnPage"]
    assert [a.expr for a in rules] == [
        "job:jam_package_process_fail_per_package_process:ratio_rate1h > 0.144 and on (job) "
        "job:jam_package_process_fail_per_package_process:ratio_rate5m > 0.144",
        "job:jam_package_process_fail_per_package_process:ratio_rate6h > 0.06 and on (job) "
        "job:jam_package_process_fail_per_package_process:ratio_rate30m > 0.06"]
    assert [(dict(a.labels)["long_window"], dict(a.labels)["short_window"]) for a in rules] == [
        ("1h", "5m"), ("6h", "30m")]
    # Each description names the windows of its own condition, never another pair's.
    assert [a.annotation_dict["description"].split(":")[0] for a in rules] == [
        "The ProcessingSuccess error ratio over the last 1h is {{ $value | humanizePercentage }}, and above 14.4% "
        "over the last 5m too",
        "The ProcessingSuccess error ratio over the last 6h is {{ $value | humanizePercentage }}, and above 6% "
        "over the last 30m too"]
    tickets = [a.expr for a in model().rules.alerts if a.name == "JamProcessingSuccessBudgetBurnTicket"]
    assert len(tickets) == 2 and "ratio_rate1d > 0.03" in tickets[0] and "ratio_rate3d > 0.01" in tickets[1]
