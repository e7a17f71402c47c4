"""references: which series a query selects, and which alerts and dashboards read a metric."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from compat_specs import BASE, edited, rename_metric, write
from conftest import SPEC

from jamdash.model import references
from jamdash.pipeline import build
from jamdash.model.references import ALERT, DASHBOARD, RECORDING_RULE, Use
from jamdash.promql.catalog import metric_of
from jamdash.promql.walk import series_names


def test_series_names_from_selectors_matchers_and_nested_expressions() -> None:
    expr = ('histogram_quantile(0.99, sum by (le) (rate(jam_x_seconds_bucket{store="a"}[5m]))) '
            '/ on() group_left jam_limit + count({__name__="jam_y_total"}) '
            'or absent_over_time(jam_z[10m:1m] offset 5m)')
    assert series_names(expr) == {"jam_x_seconds_bucket", "jam_limit", "jam_y_total", "jam_z"}


def test_regex_name_matchers_name_no_series() -> None:
    assert series_names('count({__name__=~"jam_.*"})') == set()


def test_histogram_series_fold_into_their_metric_only_for_histograms() -> None:
    histograms = {"jam_x_seconds"}
    assert metric_of("jam_x_seconds_bucket", histograms) == "jam_x_seconds"
    assert metric_of("jam_x_seconds_count", histograms) == "jam_x_seconds"
    assert metric_of("jam_cleanup_count", histograms) == "jam_cleanup_count"


def test_readers_of_a_recording_rule_read_its_metrics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def source(_: Any) -> Any:
        yield Use(RECORDING_RULE, "jam:uploads:rate5m"), series_names("sum(rate(jam_uploads_total[5m]))")
        yield Use(ALERT, "JamNoUploads"), series_names("jam:uploads:rate5m == 0")
        yield Use(DASHBOARD, "JAM", "Latency"), series_names(
            "histogram_quantile(0.9, rate(jam_upload_duration_seconds_bucket[5m]))")

    monkeypatch.setattr(references, "sources", lambda: (source,))
    result = build(str(write(tmp_path / "metrics_spec.yaml", BASE)))
    assert result.model is not None
    uses = references.uses(result.model)
    assert references.alerts_and_dashboards(uses["jam_uploads_total"]) == (Use(ALERT, "JamNoUploads"),)
    assert uses["jam_upload_duration_seconds"] == (Use(DASHBOARD, "JAM", "Latency"),)
    assert Use(DASHBOARD, "JAM", "Latency").describe() == "dashboard JAM (Latency)"


def test_compat_rules_are_a_source(tmp_path: Path) -> None:
    spec = edited(rename_metric("jam_uploads_total", "jam_stored_total", keep_deprecated=True))
    result = build(str(write(tmp_path / "metrics_spec.yaml", spec)))
    assert result.model is not None
    assert references.used_by(result.model, "jam_stored_total") == (
        Use(RECORDING_RULE, "jam_uploads_total", "compat"),)


def test_the_repository_spec_alerts_and_dashboards_through_recording_rules() -> None:
    result = build(str(SPEC))
    assert result.model is not None
    readers = references.alerts_and_dashboards(references.used_by(result.model, "jam_cleanup_failures_total"))
    kinds = {(u.kind, u.name) for u in readers}
    # the alert reads a recorded series (job_store:jam_cleanup_failures:increase30m), not the metric
    assert (ALERT, "JamCleanupFailing") in kinds
    assert (DASHBOARD, "JAM cleanup") in kinds
    alert = next(u for u in readers if u.name == "JamCleanupFailing")
    assert alert.link == "runbooks.md#jamcleanupfailing"
    panel = next(u for u in readers if u.kind == DASHBOARD)
    assert panel.link == "../grafana/dashboards/jam-cleanup.json" and panel.detail
