"""Naming rules (jamdash/lint/naming.py), each at its exact position; BASE's line 13 is the first added."""

from __future__ import annotations

from pathlib import Path

import pytest
from speckit import BASE, message, where

from jamdash import codes
from jamdash.lint import naming


def metric(name: str, body: str) -> str:
    """BASE plus one metric whose key is at 13:3 and whose fields start on line 14."""
    return BASE + f"  {name}:\n" + "".join(f"    {line}\n" for line in body.strip().splitlines())


def test_the_base_spec_is_clean(tmp_path: Path) -> None:
    assert where(tmp_path, BASE) == []


@pytest.mark.parametrize("name", ["jam_Things_total", "jam_things__total", "jam_things_total_", "jamThings_total"])
def test_snake_case(tmp_path: Path, name: str) -> None:
    assert "13:3 metric-name-snake-case" in where(tmp_path, metric(name, "type: counter\nhelp: X."))


def test_snake_case_suggests_a_name(tmp_path: Path) -> None:
    text = metric("jam_doneThings_total", "type: counter\nhelp: X.")
    assert "e.g. 'jam_done_things_total'" in message(tmp_path, text, "metric-name-snake-case")


def test_colons_are_for_recording_rules(tmp_path: Path) -> None:
    text = metric("jam_x:y_total", "type: counter\nhelp: X.")
    assert where(tmp_path, text) == ["13:3 metric-name-snake-case"]
    assert "recording rules" in message(tmp_path, text, "metric-name-snake-case")


def test_service_prefix(tmp_path: Path) -> None:
    assert where(tmp_path, metric("other_things_total", "type: counter\nhelp: X.")) == ["13:3 metric-name-prefix"]


def test_counter_ends_in_total(tmp_path: Path) -> None:
    text = metric("jam_stuff", "type: counter\nhelp: X.")
    assert where(tmp_path, text) == ["13:3 counter-total-suffix"]
    assert "rename it 'jam_stuff_total'" in message(tmp_path, text, "counter-total-suffix")


@pytest.mark.parametrize("kind", ["gauge", "histogram"])
def test_only_counters_end_in_total(tmp_path: Path, kind: str) -> None:
    body = f"type: {kind}\nhelp: X." + ("\nbuckets: [1, 2]" if kind == "histogram" else "")
    assert where(tmp_path, metric("jam_stuff_total", body)) == ["13:3 total-suffix-not-counter"]


@pytest.mark.parametrize("suffix", ["_bucket", "_count", "_sum", "_created"])
def test_reserved_suffixes(tmp_path: Path, suffix: str) -> None:
    assert where(tmp_path, metric(f"jam_stuff{suffix}", "type: gauge\nhelp: X.")) == ["13:3 reserved-suffix"]


@pytest.mark.parametrize("name, base", [("jam_latency_ms", "seconds"), ("jam_size_kb", "bytes"),
                                        ("jam_wait_minutes", "seconds"), ("jam_load_percent", "ratio")])
def test_base_units_in_the_name(tmp_path: Path, name: str, base: str) -> None:
    text = metric(name, "type: gauge\nhelp: X.")
    assert where(tmp_path, text) == ["13:3 base-unit"]
    assert f"base unit '{base}'" in message(tmp_path, text, "base-unit")


def test_declared_unit_must_be_a_base_unit(tmp_path: Path) -> None:
    text = metric("jam_wait_milliseconds", "type: gauge\nhelp: X.\nunit: milliseconds")
    # the name's 'milliseconds' and the unit are both reported, the unit at its value
    assert where(tmp_path, text) == ["13:3 base-unit", "16:11 base-unit"]


def test_name_must_end_in_the_declared_unit(tmp_path: Path) -> None:
    assert where(tmp_path, metric("jam_size", "type: gauge\nhelp: X.\nunit: bytes")) == ["16:11 unit-suffix"]
    assert where(tmp_path, metric("jam_size_bytes_total", "type: counter\nhelp: X.\nunit: bytes")) == []


def test_name_ending_in_a_unit_must_declare_it(tmp_path: Path) -> None:
    text = metric("jam_wait_seconds", "type: gauge\nhelp: X.")
    assert where(tmp_path, text) == ["13:3 unit-suffix"]
    assert "add 'unit: seconds'" in message(tmp_path, text, "unit-suffix")


@pytest.mark.parametrize("body", ["type: counter", "type: counter\nhelp: '   '"])
def test_help_is_present(tmp_path: Path, body: str) -> None:
    assert where(tmp_path, metric("jam_stuff_total", body)) == ["13:3 help-missing"]


@pytest.mark.parametrize("word", ["gauge", "counter", "histogram", "summary"])
def test_no_type_word_in_the_name(tmp_path: Path, word: str) -> None:
    assert where(tmp_path, metric(f"jam_queue_{word}", "type: gauge\nhelp: X.")) == ["13:3 type-in-name"]


def test_histogram_needs_buckets(tmp_path: Path) -> None:
    assert where(tmp_path, metric("jam_wait_seconds", "type: histogram\nhelp: X.\nunit: seconds")) == [
        "13:3 histogram-buckets"]


def test_buckets_strictly_increase(tmp_path: Path) -> None:
    text = metric("jam_wait_seconds", "type: histogram\nhelp: X.\nunit: seconds\nbuckets: [0.1, 0.5, 0.5, 0.2]")
    assert where(tmp_path, text) == ["17:25 histogram-buckets", "17:30 histogram-buckets"]


def test_buckets_are_finite(tmp_path: Path) -> None:
    text = metric("jam_wait_seconds", "type: histogram\nhelp: X.\nunit: seconds\nbuckets: [0.1, .inf]")
    assert where(tmp_path, text) == ["17:20 histogram-buckets"]
    assert "+Inf" in message(tmp_path, text, "histogram-buckets")


def test_only_histograms_have_buckets(tmp_path: Path) -> None:
    assert where(tmp_path, metric("jam_depth", "type: gauge\nhelp: X.\nbuckets: [1, 2]")) == ["16:14 histogram-buckets"]


def test_multiprocess_mode_is_for_gauges(tmp_path: Path) -> None:
    text = metric("jam_stuff_total", "type: counter\nhelp: X.\nmultiprocess_mode: max")
    assert where(tmp_path, text) == ["16:24 multiprocess-mode-gauge-only"]
    assert where(tmp_path, metric("jam_depth", "type: gauge\nhelp: X.\nmultiprocess_mode: max")) == []


def test_every_naming_rule_is_in_the_naming_table_and_only_snake_case_is_not_waivable() -> None:
    assert set(naming.CHECKS) == set(codes.in_section(codes.NAMING))
    assert {rule for rule in naming.CHECKS if not rule.waivable} == {codes.METRIC_NAME_SNAKE_CASE}
