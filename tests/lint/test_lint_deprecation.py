"""Deprecation rules (jamdash/lint/deprecation.py): renamed_to names a current, declared metric."""

from __future__ import annotations

from pathlib import Path

from speckit import BASE, message, where


def deprecated(target: str, extra: str = "") -> str:
    """BASE plus jam_old_total (key at 12:3) renamed to target; renamed_to's value is at 17:19."""
    return BASE + ("  jam_old_total:\n    type: counter\n    help: Old things.\n    deprecated:\n"
                   f"      reason: Counted twice.\n      renamed_to: {target}\n") + extra


def test_renamed_to_a_declared_metric(tmp_path: Path) -> None:
    assert where(tmp_path, deprecated("jam_things_total")) == []


def test_renamed_to_an_unknown_metric(tmp_path: Path) -> None:
    text = deprecated("jam_thing_total")
    assert where(tmp_path, text) == ["18:19 deprecation-target"]
    assert "did you mean 'jam_things_total'?" in message(tmp_path, text, "deprecation-target")


def test_renamed_to_itself(tmp_path: Path) -> None:
    text = deprecated("jam_old_total")
    assert where(tmp_path, text) == ["18:19 deprecation-target"]
    assert "itself" in message(tmp_path, text, "deprecation-target")


def test_renamed_to_a_deprecated_metric(tmp_path: Path) -> None:
    text = deprecated("jam_older_total", "  jam_older_total:\n    type: counter\n    help: Older.\n"
                                         "    deprecated: {reason: Gone., renamed_to: jam_things_total}\n")
    assert where(tmp_path, text) == ["18:19 deprecation-target"]
    assert "point it at 'jam_things_total'" in message(tmp_path, text, "deprecation-target")


def test_target_with_shape_errors_is_not_called_undeclared(tmp_path: Path) -> None:
    text = deprecated("jam_new_total", "  jam_new_total:\n    type: counterr\n    help: New.\n")
    assert where(tmp_path, text) == ["20:11 invalid-value"]


def test_deprecation_needs_a_reason(tmp_path: Path) -> None:
    text = BASE + "    deprecated: {renamed_to: jam_x_total}\n"
    assert where(tmp_path, text) == ["13:5 missing-field"]  # at the key of the incomplete mapping


def test_replacement_of_another_type(tmp_path: Path) -> None:
    text = deprecated("jam_things") + "  jam_things:\n    type: gauge\n    help: Things now.\n    labels: [store]\n"
    assert where(tmp_path, text) == ["18:19 deprecated-rename-incompatible"]
    assert "keep both metrics" in message(tmp_path, text, "deprecated-rename-incompatible")


def test_replacement_missing_an_old_label(tmp_path: Path) -> None:
    text = BASE + ("  jam_old_total:\n    type: counter\n    help: Old things.\n    labels: [store]\n"
                   "    deprecated: {reason: Renamed., renamed_to: jam_new_total}\n"
                   "  jam_new_total:\n    type: counter\n    help: New things.\n")
    assert where(tmp_path, text) == ["17:48 deprecated-rename-incompatible"]
    assert "lacks label(s) store" in message(tmp_path, text, "deprecated-rename-incompatible")
