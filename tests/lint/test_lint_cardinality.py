"""The series budget (jamdash/lint/cardinality.py): per metric and in total, against max_series."""

from __future__ import annotations

from pathlib import Path

from speckit import message, where, write_spec

from jamdash.pipeline import build


def spec(max_series: int) -> str:
    """store: 2 values (+ overflow = 3); service_id: bounded to 4 (+ overflow = 5); buckets: 3."""
    return f"""\
version: 1
service: jam
max_series: {max_series}
labels:
  store:
    help: The store.
    values: [memory, postgres]
  service_id:
    help: The JAM service.
    max_values: 4
metrics:
  jam_a_total:
    type: counter
    help: A.
  jam_b_total:
    type: counter
    help: B.
    labels: [store]
  jam_c_total:
    type: counter
    help: C, by service_id to see which service is busy.
    labels: [store, service_id]
  jam_d_seconds:
    type: histogram
    unit: seconds
    help: D.
    labels: [store]
    buckets: [0.1, 1, 10]
"""


# a: 1; b: 3; c: 3 * 5 = 15; d: 3 * (3 buckets + +Inf + _sum + _count) = 18;
# the overflow self-metric: one series per (metric, label) pair that can fold = 4.
TOTAL = 1 + 3 + 15 + 18 + 4


def test_budget_per_metric(tmp_path: Path) -> None:
    model = build(str(write_spec(tmp_path, spec(TOTAL)))).model
    assert model is not None
    assert {m.name: m.series_budget for m in model.metrics} == {
        "jam_a_total": 1, "jam_b_total": 3, "jam_c_total": 15, "jam_d_seconds": 18,
        "jam_metrics_label_overflow_total": 4,
    }
    assert model.total_series == TOTAL


def test_at_the_limit_is_fine(tmp_path: Path) -> None:
    assert where(tmp_path, spec(TOTAL)) == []


def test_over_the_limit_names_the_largest_contributors(tmp_path: Path) -> None:
    text = spec(TOTAL - 1)
    assert where(tmp_path, text) == ["3:13 series-budget"]
    found = message(tmp_path, text, "series-budget")
    assert f"may export {TOTAL} series, over max_series {TOTAL - 1}" in found
    assert ("largest: jam_d_seconds (18), jam_c_total (15), jam_metrics_label_overflow_total (4), "
            "jam_b_total (3), jam_a_total (1)") in found


def test_only_the_five_largest_are_named(tmp_path: Path) -> None:
    extra = "".join(f"  jam_e{i}_total:\n    type: counter\n    help: E.\n" for i in range(3))
    found = message(tmp_path, spec(1) + extra, "series-budget")
    assert found.count("(") == 5 and "jam_e0_total" not in found
