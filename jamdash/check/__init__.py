"""check: run checks over generated output (external tools, dashboard rules) and turn results into findings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jamdash.check import promtool, rule_tests
from jamdash.findings import Finding, has_errors
from jamdash.model import Model

Check = Callable[[Model, Path], list[Finding]]

# Checks that read the generated folder independently of each other.
CHECKS: tuple[Check, ...] = (
    rule_tests.untested_rules,
)


def rule_files(model: Model, out: Path) -> list[Finding]:
    """promtool check rules, then (only if the files load) promtool test rules."""
    findings = promtool.check_rule_files(model, out)
    if not has_errors(findings):
        findings += promtool.test_rule_files(model, out)
    return findings


def run_checks(model: Model, out: Path) -> list[Finding]:
    """Every check; a missing tool raises promtool.ToolMissing."""
    return rule_files(model, out) + [finding for check in CHECKS for finding in check(model, out)]
