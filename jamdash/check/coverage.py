"""Metric coverage: panel queries read only declared series, and every metric is shown, alerted on or exempted."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import yaml

from jamdash import codes, conventions
from jamdash.promql import walk as w
from jamdash.promql.catalog import exported_series
from jamdash.check.dashboard_rules import Issue, panels
from jamdash.model import Model

RULE_COVERAGE = codes.METRIC_COVERAGE
RULE_UNDECLARED = codes.DASHBOARD_UNDECLARED_METRIC
DASHBOARDS_DIR = "grafana/dashboards/"
RULES_DIR = "prometheus/"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: PyYAML's own parser is ~20x slower


_LABEL_VALUES = re.compile(r"^\s*label_values\((?P<series>.*),\s*(?P<label>[A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$", re.S)


def variable_series(d: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(variable name, series selector) of each `label_values(...)` query variable of a dashboard."""
    for var in (d.get("templating") or {}).get("list", []):
        query = var.get("query")
        text = query.get("query", "") if isinstance(query, dict) else str(query or "")
        match = _LABEL_VALUES.match(text) if var.get("type") == "query" else None
        if match:
            yield str(var.get("name")), match["series"]


def _unknown(name: str, model: Model) -> str:
    histogram = next((m for m in model.metrics if m.name == name and m.type == "histogram"), None)
    if histogram is not None:
        return (f"'{name}', a histogram's bare name, which has no series: read "
                f"'{conventions.histogram_series_name(name, 'count')}'")
    return f"'{name}', which is neither a declared metric nor a generated recording rule"


def _names(expr: str) -> frozenset[str]:
    try:
        return w.series_names(expr)
    except ValueError:
        return frozenset()  # target-promql / the rules checks report it


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
    histograms = {m.name for m in model.metrics if m.type == "histogram"}
    # a histogram's bare name is no series: only its _bucket, _sum and _count are
    series = {name: metric for name, metric in exported_series(model.metrics).items() if name not in histograms}
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
                            RULE_UNDECLARED, p.get("id"), f"reads {_unknown(name, model)}"))
                    for metric in metrics_of(name):
                        used.setdefault(metric, set()).add(f"dashboard {d.get('uid')}")
        for variable, selector in variable_series(d):
            for name in sorted(_names(selector)):
                if name not in series and name not in records:
                    undeclared.setdefault(path, []).append(Issue(
                        RULE_UNDECLARED, None, f"variable '{variable}' lists no values: it reads {_unknown(name, model)}"))
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
