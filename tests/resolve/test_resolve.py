"""resolve: the frozen, sorted model generators read, with defaults and budgets filled in."""

from __future__ import annotations

from pathlib import Path

from speckit import write_spec

from jamdash.model import Model
from jamdash.pipeline import build

SPEC = """\
version: 1
service: jam
max_series: 100
labels:
  store:
    help: The store.
    values: [memory, postgres]
  quota_reason:
    name: reason
    help: Why.
    values: [too_large]
    overflow: unknown
metrics:
  jam_z_total:
    type: counter
    help: "  Z, padded.  "
    labels: [quota_reason, store]
  jam_depth:
    type: gauge
    help: Depth.
  jam_peak:
    type: gauge
    help: Peak.
    multiprocess_mode: max
  jam_old_total:
    type: counter
    help: Old.
    deprecated: {reason: Renamed., renamed_to: jam_z_total, until: 2026-01-31}
"""


def model(tmp_path: Path, text: str = SPEC) -> Model:
    result = build(str(write_spec(tmp_path, text)))
    assert result.model is not None, result.findings
    return result.model


def test_metrics_are_sorted_and_the_overflow_metric_added(tmp_path: Path) -> None:
    assert [m.name for m in model(tmp_path).metrics] == [
        "jam_depth", "jam_metrics_label_overflow_total", "jam_old_total", "jam_peak", "jam_z_total"]


def test_labels_keep_the_metrics_order_and_their_series_names(tmp_path: Path) -> None:
    metric = model(tmp_path).metric("jam_z_total")
    assert metric.label_names == ("reason", "store")
    assert [(lb.key, lb.values, lb.overflow, lb.cardinality) for lb in metric.labels] == [
        ("quota_reason", ("too_large",), "unknown", 2), ("store", ("memory", "postgres"), "other", 3)]
    assert metric.series_budget == 6 and metric.help == "Z, padded."


def test_defaults(tmp_path: Path) -> None:
    m = model(tmp_path)
    assert m.service == "jam" and m.scrape_interval == "15s" and m.scrape_interval_seconds == 15
    assert m.metric("jam_depth").multiprocess_mode == "livesum"
    assert m.metric("jam_peak").multiprocess_mode == "max"
    assert m.metric("jam_z_total").multiprocess_mode is None


def test_deprecation(tmp_path: Path) -> None:
    deprecated = model(tmp_path).metric("jam_old_total").deprecated
    assert deprecated is not None
    assert (deprecated.reason, deprecated.renamed_to, deprecated.until) == ("Renamed.", "jam_z_total", "2026-01-31")


def test_overflow_metric_counts_each_foldable_pair(tmp_path: Path) -> None:
    overflow = model(tmp_path).metric("jam_metrics_label_overflow_total")
    assert overflow.synthetic and overflow.series_budget == 2
    assert [lb.values for lb in overflow.labels] == [("jam_z_total",), ("reason", "store")]


def test_no_labels_no_overflow_metric(tmp_path: Path) -> None:
    text = "version: 1\nservice: jam\nmax_series: 5\nmetrics:\n  jam_a_total: {type: counter, help: A.}\n"
    assert [m.name for m in model(tmp_path, text).metrics] == ["jam_a_total"]


def test_spec_path_is_the_file_name_only(tmp_path: Path) -> None:
    assert model(tmp_path).spec_path == "metrics_spec.yaml"
