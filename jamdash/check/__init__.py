"""check: run checks over generated output (external tools, dashboard rules) and turn results into findings."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from jamdash.check import promtool, rule_tests, spec_positions
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


def check_generated(model: Model, files: Mapping[str, str], out: Path) -> list[Finding]:
    """Every check on what the spec generates now (files, in memory), not on what --out holds.

    The Prometheus files are written to a temporary folder for promtool; findings in them are
    shown at their place under out."""
    with tempfile.TemporaryDirectory(prefix="jamdash-lint-") as tmp:
        for rel, text in files.items():
            if rel.startswith("prometheus/"):
                (Path(tmp) / rel).parent.mkdir(parents=True, exist_ok=True)
                (Path(tmp) / rel).write_text(text, encoding="utf-8", newline="\n")
        found = [f._replace(path=str(out / Path(f.path).relative_to(tmp)))
                 if Path(f.path).is_relative_to(tmp) else f for f in run_checks(model, Path(tmp))]
    return spec_positions.at_spec(model, found)
