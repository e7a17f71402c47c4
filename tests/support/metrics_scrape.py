"""Test helpers for the generated metrics module: exercise every metric, scrape, count series."""

from __future__ import annotations

import re
from collections import Counter as Tally
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from jamdash.model import Model
from jamdash.model.metrics import Metric

# promtool check metrics messages (Prometheus 2.42 promlint) -> our lint rule ids.
PROMTOOL_RULES = (
    (re.compile(r"should not include type"), "type-in-name"),
    (re.compile(r'counter metrics should have "_total" suffix'), "counter-total-suffix"),
    (re.compile(r'non-counter metrics should not have "_total" suffix'), "total-suffix-not-counter"),
    (re.compile(r"should not have \"_(sum|count|bucket)\" suffix"), "reserved-suffix"),
    (re.compile(r"use base unit|abbreviated units"), "base-unit"),
    (re.compile(r"metric names should be written in 'snake_case'|should not contain ':'"),
     "metric-name-snake-case"),
    (re.compile(r"label names should be written in 'snake_case'"), "label-name-snake-case"),
    (re.compile(r"no help text"), "help-missing"),
)
_FINDING = re.compile(r"^(?P<metric>[a-zA-Z_:][a-zA-Z0-9_:]*) (?P<message>.+)$")


def rule_of(promtool_message: str) -> str | None:
    for pattern, rule in PROMTOOL_RULES:
        if pattern.search(promtool_message):
            return rule
    return None


def promtool_findings(output: str) -> list[tuple[str, str, str | None]]:
    """(metric, message, our rule id) for each line promtool printed."""
    findings = []
    for line in output.splitlines():
        match = _FINDING.match(line.strip())
        if match:
            findings.append((match["metric"], match["message"], rule_of(match["message"])))
        elif line.strip():
            findings.append(("", line.strip(), None))
    return findings


def touch(family: Any, metric: Metric, key: Any) -> None:
    """One update on the child family[key], whatever the metric type."""
    child = family[key] if metric.labels else family
    if metric.type == "counter":
        child.inc()
    elif metric.type == "gauge":
        child.set(1)
    else:
        child.observe(0.5)


def valid_key(metric: Metric) -> Any:
    """A key every label admits: the first closed value, or a fresh value for a bounded label."""
    values = tuple(label.values[0] if label.closed else "svc-1" for label in metric.labels)
    return values if len(values) > 1 else values[0]


def touch_all(metrics: Any, model: Model) -> None:
    for metric in model.metrics:
        if not metric.synthetic:
            touch(getattr(metrics, metric.name), metric, valid_key(metric) if metric.labels else None)


def scrape(registry: CollectorRegistry) -> str:
    return generate_latest(registry).decode("utf-8")


def families(text: str) -> dict[str, Any]:
    """The scrape's metric families by name, without prometheus_client's `_created` gauges."""
    found = {f.name: f for f in text_string_to_metric_families(text)}
    return {name: f for name, f in found.items()
            if not (name.endswith("_created") and name.removesuffix("_created") in found)}


def family_name(metric: Metric) -> str:
    """The family name the text parser reports: counters lose their `_total`."""
    return metric.name.removesuffix("_total") if metric.type == "counter" else metric.name


def series_by_metric(text: str) -> Tally[str]:
    """Exported series per family, `_created` samples left out."""
    tally: Tally[str] = Tally()
    for name, family in families(text).items():
        tally[name] += sum(1 for sample in family.samples if not sample.name.endswith("_created"))
    return tally
