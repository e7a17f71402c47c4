"""Label rules (jamdash/lint/labels.py), each at its exact position."""

from __future__ import annotations

from pathlib import Path

import pytest
from speckit import BASE, message, where

from jamdash.findings import WARNING
from speckit import findings


def spec(labels: str, metric_labels: str = "[store]", help_text: str = "Things done.") -> str:
    """A spec whose labels section (line 5 on) is `labels`; its one metric uses metric_labels."""
    return ("version: 1\nservice: jam\nmax_series: 1000\nlabels:\n" + labels +
            f"metrics:\n  jam_things_total:\n    type: counter\n    help: {help_text}\n    labels: {metric_labels}\n")


STORE = "  store:\n    help: The store.\n    values: [memory, postgres]\n"


def test_clean(tmp_path: Path) -> None:
    assert where(tmp_path, spec(STORE)) == []


def test_label_key_snake_case(tmp_path: Path) -> None:
    assert where(tmp_path, spec("  Store:\n    help: S.\n    values: [a]\n", "[Store]")) == [
        "5:3 label-name-snake-case"]


def test_label_name_snake_case_points_at_the_name(tmp_path: Path) -> None:
    text = spec("  store:\n    name: Store-Kind\n    help: S.\n    values: [a]\n")
    assert where(tmp_path, text) == ["6:11 label-name-snake-case"]


@pytest.mark.parametrize("name", ["le", "quantile", "job", "instance"])
def test_reserved_labels(tmp_path: Path, name: str) -> None:
    text = spec(f"  {name}:\n    help: S.\n    values: [a]\n", f"[{name}]")
    assert where(tmp_path, text) == ["5:3 reserved-label"]


def test_double_underscore_labels_are_reserved(tmp_path: Path) -> None:
    text = spec("  store:\n    name: __store\n    help: S.\n    values: [a]\n")
    assert where(tmp_path, text) == ["5:3 reserved-label", "6:11 label-name-snake-case"]


@pytest.mark.parametrize("body", ["    values: [a]\n    max_values: 3\n", "    overflow: other\n"])
def test_values_or_bound(tmp_path: Path, body: str) -> None:
    assert where(tmp_path, spec("  store:\n    help: S.\n" + body)) == ["5:3 label-values-or-bound"]


def test_empty_values_list(tmp_path: Path) -> None:
    assert where(tmp_path, spec("  store:\n    help: S.\n    values: []\n")) == ["7:13 label-values-or-bound"]


def test_duplicate_values(tmp_path: Path) -> None:
    assert where(tmp_path, spec("  store:\n    help: S.\n    values: [a, b, a]\n")) == ["7:20 label-values-duplicate"]


@pytest.mark.parametrize("value, problem", [
    ("''", "is empty"), ("' a'", "leading or trailing spaces"), ('"a\\tb"', "control"),
    ('"a\\u200bb"', "invisible"), ("x" * 101, "longer than 100"),
])
def test_label_value_sanity(tmp_path: Path, value: str, problem: str) -> None:
    text = spec(f"  store:\n    help: S.\n    values: [ok, {value}]\n")
    assert where(tmp_path, text) == ["7:18 label-value-invalid"]
    assert problem in message(tmp_path, text, "label-value-invalid")


def test_overflow_value_sanity(tmp_path: Path) -> None:
    text = spec("  store:\n    help: S.\n    values: [a]\n    overflow: ' other'\n")
    assert where(tmp_path, text) == ["8:15 label-value-invalid"]


def test_overflow_must_not_be_a_value(tmp_path: Path) -> None:
    text = spec("  store:\n    help: S.\n    values: [memory, other]\n")
    assert where(tmp_path, text) == ["7:13 label-overflow-collision"]
    assert where(tmp_path, text.replace("values: [memory, other]", "values: [memory, other]\n    overflow: unknown")) == []


def test_undeclared_label(tmp_path: Path) -> None:
    text = spec(STORE, "[store, shard]")
    assert where(tmp_path, text) == ["12:21 undeclared-label"]
    assert "declared: store" in message(tmp_path, text, "undeclared-label")


def test_label_used_twice(tmp_path: Path) -> None:
    assert where(tmp_path, spec(STORE, "[store, store]")) == ["12:21 label-used-twice"]


def test_label_used_twice_under_two_keys(tmp_path: Path) -> None:
    labels = STORE + "  backend:\n    name: store\n    help: S.\n    values: [a]\n"
    assert where(tmp_path, spec(labels, "[store, backend]")) == ["16:21 label-used-twice"]


def test_unused_label_is_a_warning(tmp_path: Path) -> None:
    labels = STORE + "  zone:\n    help: Z.\n    values: [a]\n"
    assert where(tmp_path, spec(labels)) == ["8:3 label-unused"]
    assert [f.severity for f in findings(tmp_path, spec(labels))] == [WARNING]


SERVICE_ID = "  service_id:\n    help: The JAM service.\n    max_values: 16\n"


def test_bounded_label_must_be_justified_in_the_help(tmp_path: Path) -> None:
    text = spec(STORE + SERVICE_ID, "[store, service_id]")
    assert where(tmp_path, text) == ["15:21 bounded-label-unjustified"]
    assert "up to 16 values" in message(tmp_path, text, "bounded-label-unjustified")


def test_justified_bounded_label(tmp_path: Path) -> None:
    text = spec(STORE + SERVICE_ID, "[store, service_id]",
                help_text="Things done; service_id is kept because load is per service, bounded to 16.")
    assert where(tmp_path, text) == []


def test_closed_labels_need_no_justification(tmp_path: Path) -> None:
    assert where(tmp_path, BASE) == []


def test_label_keys_are_snake_case_even_with_a_name(tmp_path: Path) -> None:
    text = spec("  quota-reason:\n    name: reason\n    help: S.\n    values: [a]\n", "[quota-reason]")
    assert where(tmp_path, text) == ["5:3 label-name-snake-case"]
    assert "label key 'quota-reason'" in message(tmp_path, text, "label-name-snake-case")
