"""Every alert in the generated rule files has a promtool test that fires it; every recorded series a test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from jamdash import codes
from jamdash.check.promtool import RULES_GLOB, TESTS_GLOB
from jamdash.generate.prometheus_rules import recording_path
from jamdash.findings import NOWHERE, Finding, Position
from jamdash.model import Model

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: PyYAML's own parser is ~20x slower


def _load(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except (OSError, yaml.YAMLError):
        return {}  # promtool check/test rules reports unreadable files


def tested(out: Path) -> tuple[set[str], set[str]]:
    """Alert names some test expects to fire, and expressions some promql_expr_test evaluates."""
    alerts: set[str] = set()
    exprs: set[str] = set()
    for path in sorted(out.glob(TESTS_GLOB)):
        for test in _load(path).get("tests") or []:
            for case in test.get("alert_rule_test") or []:
                if case.get("exp_alerts"):
                    alerts.add(str(case.get("alertname")))
            for case in test.get("promql_expr_test") or []:
                if case.get("exp_samples"):
                    exprs.add(str(case.get("expr", "")).strip())
    return alerts, exprs


def untested_rules(model: Model, out: Path) -> list[Finding]:
    firing, exprs = tested(out)
    recording_file = recording_path(model.service).rsplit("/", 1)[1]
    findings = []
    for path in sorted(out.glob(RULES_GLOB)):
        lines = path.read_text(encoding="utf-8").splitlines()
        for group in _load(path).get("groups") or []:
            for rule in group.get("rules") or []:
                if "alert" in rule and rule["alert"] not in firing:
                    findings.append(Finding.at(str(path), _line(lines, "alert", rule["alert"]), codes.ALERT_WITHOUT_TEST,
                                               f"alert {rule['alert']} has no promtool test in which it fires"))
                # Recorded series of the recording rules; compat rules (renamed metrics) are exempt.
                if "record" in rule and path.name == recording_file and rule["record"] not in exprs:
                    findings.append(Finding.at(str(path), _line(lines, "record", rule["record"]), codes.RECORD_WITHOUT_TEST,
                                               f"recorded series {rule['record']} has no promtool test"))
    return findings


def _line(lines: list[str], key: str, name: str) -> Position:
    for number, text in enumerate(lines, 1):
        stripped = text.strip().lstrip("- ")
        if stripped.startswith(f"{key}:") and stripped.split(":", 1)[1].strip().strip("'\"") == name:
            return Position(number, text.index(key) + 1)
    return NOWHERE
