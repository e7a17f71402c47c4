"""Waiver rules (jamdash/lint/waivers.py): a waiver names a waivable rule, once, and is needed."""

from __future__ import annotations

from pathlib import Path

from speckit import BASE, findings, message, where

from jamdash.findings import ERROR


def gauge(waivers: str, name: str = "jam_queue_gauge") -> str:
    """BASE plus a gauge; its waivers list starts on line 17 (one waiver per line)."""
    return BASE + f"  {name}:\n    type: gauge\n    help: Queue depth.\n    waivers:\n" + "".join(
        f"      - {{rule: {rule}, reason: The plan names it.}}\n" for rule in waivers.split())


def test_a_waiver_turns_its_rule_off(tmp_path: Path) -> None:
    assert where(tmp_path, gauge("")[: -len("    waivers:\n")]) == ["13:3 type-in-name"]
    assert where(tmp_path, gauge("type-in-name")) == []


def test_a_waiver_turns_only_its_rule_off(tmp_path: Path) -> None:
    assert where(tmp_path, gauge("type-in-name", "jam_queue_gauge_total")) == ["13:3 total-suffix-not-counter"]


def test_unknown_rule(tmp_path: Path) -> None:
    text = gauge("type-in-name type-in-nam")
    assert where(tmp_path, text) == ["18:16 unknown-waiver-rule"]
    assert "did you mean 'type-in-name'?" in message(tmp_path, text, "unknown-waiver-rule")


def test_rules_that_cannot_be_waived(tmp_path: Path) -> None:
    text = gauge("type-in-name undeclared-label")
    assert where(tmp_path, text) == ["18:16 unknown-waiver-rule"]
    assert "cannot be waived" in message(tmp_path, text, "unknown-waiver-rule")


def test_duplicate_waiver(tmp_path: Path) -> None:
    assert where(tmp_path, gauge("type-in-name type-in-name")) == ["18:16 waiver-duplicate"]


def test_waiver_reason_is_required(tmp_path: Path) -> None:
    text = BASE + "  jam_queue_gauge:\n    type: gauge\n    help: Q.\n    waivers:\n      - rule: type-in-name\n"
    assert where(tmp_path, text) == ["17:9 missing-field"]
    assert [f.severity for f in findings(tmp_path, text)] == [ERROR]


def test_snake_case_cannot_be_waived(tmp_path: Path) -> None:
    # metric names are attribute names in the generated module: a waiver would let it break
    text = gauge("type-in-name metric-name-snake-case", "jam_Queue_gauge")
    assert where(tmp_path, text) == ["13:3 metric-name-snake-case", "18:16 unknown-waiver-rule"]


def test_waivers_of_rules_checked_outside_lint_are_accepted(tmp_path: Path) -> None:
    # metric-coverage (jamdash/check/coverage.py) and the compat-* kinds (jamdash diff) are waivable
    # too, and accepted like the naming rules
    assert where(tmp_path, gauge("type-in-name metric-coverage compat-type-changed")) == []
