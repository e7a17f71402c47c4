"""The rule groups jamdash generates, compared with the groups a Prometheus has loaded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from jamdash import codes
from jamdash.findings import NOWHERE, Finding, Position
from jamdash.model import Model
from jamdash.promql.syntax import canonical
from jamdash.spec.common import duration_seconds

Rule = dict[str, Any]


def generated(model: Model) -> list[dict[str, Any]]:
    """The groups of the generated rule files, read from the generators' own output."""
    from jamdash.generate import compat_rules, prometheus_rules

    groups: list[dict[str, Any]] = []
    for generate in (prometheus_rules.generate, compat_rules.generate):
        for _, text in generate(model):
            groups += (yaml.safe_load(text) or {}).get("groups") or []
    return groups


def is_service_group(model: Model, name: str) -> bool:
    """<service>.recording, <service>.alerts, <service>.slo.*, <service>_compat: the groups jamdash names for the service."""
    return name.startswith((f"{model.service}.", f"{model.service}_"))


def _positions(model: Model) -> dict[str, Position]:
    """Where each generated rule comes from in the spec, by the series it records or the alert it is."""
    where = {rule.record: model.metric(rule.old).position for rule in model.rules.compat}
    where.update({rule.record: rule.position for rule in model.rules.recording})
    where.update({alert.name: alert.position for alert in model.rules.alerts})
    return where


def _rules_position(model: Model) -> Position:
    """Where the spec's rules begin, for a group it does not generate."""
    for key in ("alerts", "recording_rules", "slo", "alerting"):
        if (key,) in model.source.keys:
            return model.source.keys[(key,)]
    return NOWHERE


def _key(rule: Rule) -> tuple[str, str]:
    """(type, name) as both the rule files and the API tell them apart."""
    if "alert" in rule:
        return "alerting", str(rule["alert"])
    if "record" in rule:
        return "recording", str(rule["record"])
    return str(rule.get("type", "")), str(rule.get("name", ""))


def check(model: Model, loaded: list[dict[str, Any]]) -> list[Finding]:
    """Missing, stale and changed groups and rules, and every unhealthy rule of the service."""
    where = _positions(model)
    fallback = _rules_position(model)
    by_name: dict[str, list[dict[str, Any]]] = {}
    for group in loaded:
        by_name.setdefault(str(group.get("name", "")), []).append(group)
    findings: list[Finding] = []
    expected = generated(model)
    for group in expected:
        rules = group.get("rules") or []
        first = where.get(_key(rules[0])[1], fallback) if rules else fallback
        live = by_name.get(group["name"])
        if not live:
            findings.append(Finding.at(
                model.spec_path, first, codes.LIVE_GROUP_MISSING,
                f"rule group {group['name']} ({len(rules)} rules) is not loaded: add its generated rule file to "
                "Prometheus' rule_files (or the PrometheusRule object) and reload"))
            continue
        findings += _compare(model, group["name"], rules, [r for g in live for r in g.get("rules") or []],
                             where, first)
    names = {g["name"] for g in expected}
    for name, live in sorted(by_name.items()):
        if name not in names and is_service_group(model, name):
            files = ", ".join(sorted({str(g.get("file", "")) for g in live if g.get("file")})) or "unknown file"
            findings.append(Finding.at(
                model.spec_path, fallback, codes.LIVE_GROUP_STALE,
                f"rule group {name} ({files}) is loaded but the spec no longer generates it: remove the old rule file"))
    for group in loaded:
        if is_service_group(model, str(group.get("name", ""))) or group.get("name") in names:
            findings += _unhealthy(model, group, where, fallback)
    return findings


def _compare(model: Model, group: str, rules: list[Rule], live: list[Rule], where: dict[str, Position],
             first: Position) -> Iterator[Finding]:
    waiting: dict[tuple[str, str], list[Rule]] = {}
    for rule in live:
        waiting.setdefault(_key(rule), []).append(rule)
    for rule in rules:
        kind, name = _key(rule)
        pos = where.get(name, first)
        candidates = waiting.get((kind, name))
        if not candidates:
            yield Finding.at(model.spec_path, pos, codes.LIVE_RULE_MISSING,
                             f"{kind} rule {name} is missing from the loaded group {group}: the rule file "
                             "Prometheus reads is older than the spec; deploy the generated one")
            continue
        loaded = candidates.pop(0)
        if differences := _differences(rule, loaded):
            yield Finding.at(model.spec_path, pos, codes.LIVE_RULE_CHANGED,
                             f"{kind} rule {name} in group {group} differs from the generated one "
                             f"({'; '.join(differences)}): deploy the generated rule file")
    for (kind, name), extra in sorted(waiting.items()):
        for _ in extra:
            yield Finding.at(model.spec_path, first, codes.LIVE_RULE_UNDECLARED,
                             f"{kind} rule {name} is in the loaded group {group} but the spec does not generate "
                             "it: deploy the generated rule file")


def _differences(rule: Rule, loaded: Rule) -> list[str]:
    out = []
    if canonical(str(rule.get("expr", ""))) != canonical(str(loaded.get("query", ""))):
        out.append(f"expr: loaded {' '.join(str(loaded.get('query', '')).split())!r}")
    if "alert" in rule:
        want = duration_seconds(str(rule.get("for", "0s")))
        have = float(loaded.get("duration") or 0)
        if want != have:
            out.append(f"for: loaded {have:g}s, generated {want:g}s")
        if (rule.get("annotations") or {}) != (loaded.get("annotations") or {}):
            keys = sorted(k for k in set(rule.get("annotations") or {}) | set(loaded.get("annotations") or {})
                          if (rule.get("annotations") or {}).get(k) != (loaded.get("annotations") or {}).get(k))
            out.append(f"annotations {', '.join(keys)}")
    if {k: str(v) for k, v in (rule.get("labels") or {}).items()} != (loaded.get("labels") or {}):
        out.append(f"labels: loaded {loaded.get('labels') or {}}, generated {rule.get('labels') or {}}")
    return out


def _unhealthy(model: Model, group: dict[str, Any], where: dict[str, Position],
               fallback: Position) -> Iterator[Finding]:
    for rule in group.get("rules") or []:
        error = " ".join(str(rule.get("lastError") or "").split())
        if rule.get("health") == "err" or error:
            kind, name = _key(rule)
            yield Finding.at(model.spec_path, where.get(name, fallback), codes.LIVE_RULE_UNHEALTHY,
                             f"{kind} rule {name} in group {group.get('name')} fails to evaluate: "
                             f"{error or 'health is err'}")
