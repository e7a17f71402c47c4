"""Metric coverage: panel queries read only declared series, and every metric is shown, alerted on or exempted."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from jamdash import codes
from jamdash.promql import walk as w
from jamdash.promql.catalog import exported_series
from jamdash.check.dashboard_rules import Issue, panels
from jamdash.model import Model

RULE_COVERAGE = codes.METRIC_COVERAGE
RULE_UNDECLARED = codes.DASHBOARD_UNDECLARED_METRIC
DASHBOARDS_DIR = "grafana/dashboards/"
RULES_DIR = "prometheus/"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: PyYAML's own parser is ~20x slower


def _names(expr: str) -> set[str]:
    try:
        return w.series_names(expr)
    except ValueError:
        return set()  # target-promql / the rules checks report it


def rule_expressions(files: Mapping[str, str]) -> Iterator[tuple[str, str, str]]:
    """(file, record name or '', expr) for each rule in the generated Prometheus rule files."""
    for path, text in files.items():
        if not (path.startswith(RULES_DIR) and "/" not in path[len(RULES_DIR):] and path.endswith((".yaml", ".yml"))):
            continue  # the rule files themselves, not their promtool tests under prometheus/tests/
        try:
            doc = yaml.load(text, Loader=_LOADER)
        except yaml.YAMLError:
            continue
        for group in (doc or {}).get("groups", []) if isinstance(doc, dict) else []:
            for rule in group.get("rules", []):
                if isinstance(rule, dict) and "expr" in rule:
                    yield path, str(rule.get("record", "")), str(rule["expr"])


def dashboards(files: Mapping[str, str]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, text in files.items():
        if path.startswith(DASHBOARDS_DIR) and path.endswith(".json"):
            yield path, json.loads(text)


def usage(model: Model, files: Mapping[str, str]) -> tuple[dict[str, set[str]], dict[str, list[Issue]]]:
    """Where each metric is used ('dashboard X' / 'rules file Y'), and undeclared series per dashboard file."""
    series = exported_series(model.metrics)
    records: dict[str, set[str]] = {}
    used: dict[str, set[str]] = {}
    for path, record, expr in rule_expressions(files):
        names = _names(expr)
        if record:
            records.setdefault(record, set()).update(names)
        for name in names:
            if name in series:
                used.setdefault(series[name], set()).add(f"rules {path}")

    def metrics_of(name: str, seen: frozenset[str] = frozenset()) -> set[str]:
        if name in series:
            return {series[name]}
        return {m for src in records.get(name, set()) - seen for m in metrics_of(src, seen | {name})}

    undeclared: dict[str, list[Issue]] = {}
    for path, d in dashboards(files):
        for p in panels(d):
            for t in p.get("targets", []):
                for name in _names(t.get("expr", "")):
                    if name not in series and name not in records:
                        undeclared.setdefault(path, []).append(Issue(
                            RULE_UNDECLARED, p.get("id"),
                            f"reads '{name}', which is neither a declared metric nor a generated recording rule"))
                    for metric in metrics_of(name):
                        used.setdefault(metric, set()).add(f"dashboard {d.get('uid')}")
    return used, undeclared


def uncovered(model: Model, used: Mapping[str, set[str]]) -> list[str]:
    """Spec metrics on no dashboard and in no rule, and not exempted with a metric-coverage waiver."""
    return [m.name for m in model.metrics
            if not m.synthetic and m.name not in used and RULE_COVERAGE not in m.waived]


def summary(model: Model, used: Mapping[str, set[str]]) -> str:
    """One line for people: how many spec metrics are shown or alerted on, exempted, or neither."""
    spec_metrics = [m for m in model.metrics if not m.synthetic]
    shown = sum(1 for m in spec_metrics if m.name in used)
    exempt = sum(1 for m in spec_metrics if m.name not in used and RULE_COVERAGE in m.waived)
    missing = len(spec_metrics) - shown - exempt
    return (f"metric coverage: {shown} of {len(spec_metrics)} spec metrics on a dashboard or in a rule, "
            f"{exempt} exempted, {missing} uncovered")
