"""Generator of the Prometheus rule files: recording rules and alerts, loadable with rule_files:."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jamdash import conventions
from jamdash.generate.header import commented
from jamdash.generate.yamltext import dump
from jamdash.model import Model
from jamdash.model.rules import Alert, RecordingRule



def recording_path(service: str) -> str:
    return conventions.rule_file(service, "recording")


def alerts_path(service: str) -> str:
    return conventions.rule_file(service, "alerts")


def recording_groups(model: Model) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for rule in model.rules.recording:
        groups.setdefault(rule.group, []).append(recording_rule(rule))
    return [{"name": name, "rules": rules} for name, rules in groups.items()]


def recording_rule(rule: RecordingRule) -> dict[str, Any]:
    return {"record": rule.record, "expr": rule.expr}


def alert_groups(model: Model) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for alert in sorted(model.rules.alerts, key=lambda a: (a.group, a.name)):
        groups.setdefault(alert.group, []).append(alert_rule(alert))
    return [{"name": name, "rules": rules} for name, rules in sorted(groups.items())]


def alert_rule(alert: Alert) -> dict[str, Any]:
    return {
        "alert": alert.name,
        "expr": alert.expr,
        "for": alert.for_,
        "labels": dict(alert.labels),
        "annotations": dict(alert.annotations),
    }


def generate(model: Model) -> Iterator[tuple[str, str]]:
    if not model.rules:
        return
    header = commented(model.spec_path)
    yield recording_path(model.service), header + dump({"groups": recording_groups(model)})
    yield alerts_path(model.service), header + dump({"groups": alert_groups(model)})
