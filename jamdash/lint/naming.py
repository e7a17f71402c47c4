"""Prometheus naming conventions for metrics, as `promtool check metrics` applies them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator

from jamdash import conventions
from jamdash.findings import Finding
from jamdash.lint.context import LintContext
from jamdash.spec.metrics import MetricSpec

_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

Check = Callable[[str, MetricSpec], Iterator[tuple[tuple[str | int, ...], str]]]


def _snake_case(name: str, metric: MetricSpec) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if ":" in name:
        yield (), f"'{name}' contains ':', which is reserved for recording rules"
    elif not _SNAKE.match(name):
        yield (), f"'{name}' must be snake_case: lower-case letters, digits and single underscores"


def _counter_total(name: str, metric: MetricSpec) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if metric.type == "counter" and not name.endswith("_total"):
        yield (), f"counter '{name}' must end in '_total'"


def _total_not_counter(name: str, metric: MetricSpec) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if metric.type != "counter" and name.endswith("_total"):
        yield (), f"only counters end in '_total'; '{name}' is a {metric.type}"


def _reserved_suffix(name: str, metric: MetricSpec) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for suffix in conventions.RESERVED_SUFFIXES:
        if name.endswith(suffix):
            yield (), f"'{name}' ends in '{suffix}', which Prometheus reserves for histogram and summary series"


def _base_units(name: str, metric: MetricSpec) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for part in name.split("_"):
        if part in conventions.NON_BASE_UNITS:
            yield (), f"'{name}' uses '{part}'; use the base unit '{conventions.NON_BASE_UNITS[part]}' instead"
    if metric.unit and metric.unit not in conventions.BASE_UNITS:
        better = conventions.NON_BASE_UNITS.get(metric.unit)
        hint = f"use '{better}'" if better else f"use one of {', '.join(conventions.BASE_UNITS)}"
        yield ("unit",), f"unit '{metric.unit}' is not a base unit; {hint}"


def _unit_suffix(name: str, metric: MetricSpec) -> Iterator[tuple[tuple[str | int, ...], str]]:
    stem = name.removesuffix("_total")
    if metric.unit and not stem.endswith("_" + metric.unit):
        yield ("unit",), f"'{name}' has unit '{metric.unit}' but its name does not end in '_{metric.unit}'"
    for unit in conventions.BASE_UNITS:
        if not metric.unit and stem.endswith("_" + unit):
            yield (), f"'{name}' ends in '_{unit}'; declare 'unit: {unit}'"


def _help(name: str, metric: MetricSpec) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if not metric.help.strip():
        yield (), f"'{name}' has no help text; say in one sentence what it counts or measures"


def _type_in_name(name: str, metric: MetricSpec) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for word in conventions.TYPE_WORDS:
        if word in name.split("_"):
            yield (), f"'{name}' contains the type word '{word}'; the type is metadata, not part of the name"



def _buckets(name: str, metric: MetricSpec) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if metric.type != "histogram":
        if metric.buckets is not None:
            yield ("buckets",), f"only histograms have buckets; '{name}' is a {metric.type}"
        return
    if not metric.buckets:
        yield (), f"histogram '{name}' needs 'buckets' (its series budget depends on them)"
        return
    for i, (low, high) in enumerate(zip(metric.buckets, metric.buckets[1:]), start=1):
        if not high > low:
            yield ("buckets", i), f"bucket {high:g} is not greater than the one before it ({low:g}); buckets must strictly increase"
    for i, bound in enumerate(metric.buckets):
        if math.isinf(bound) or math.isnan(bound):
            yield ("buckets", i), "the +Inf bucket is added automatically; list finite bounds only"


def _multiprocess(name: str, metric: MetricSpec) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if metric.multiprocess_mode is not None and metric.type != "gauge":
        yield ("multiprocess_mode",), f"multiprocess_mode applies to gauges only; '{name}' is a {metric.type}"


CHECKS: dict[str, Check] = {
    "metric-name-snake-case": _snake_case,
    "counter-total-suffix": _counter_total,
    "total-suffix-not-counter": _total_not_counter,
    "reserved-suffix": _reserved_suffix,
    "base-unit": _base_units,
    "unit-suffix": _unit_suffix,
    "help-missing": _help,
    "type-in-name": _type_in_name,
    "histogram-buckets": _buckets,
    "multiprocess-mode-gauge-only": _multiprocess,
}
RULE_IDS = (*CHECKS, "metric-name-prefix")


def metric_names(ctx: LintContext) -> Iterator[Finding]:
    prefix = ctx.spec.service + "_"
    for name, metric in ctx.spec.metrics.items():
        for rule, check in CHECKS.items():
            if ctx.waived(name, rule):
                continue
            for sub, message in check(name, metric):
                path = ("metrics", name, *sub)
                yield ctx.at(path, rule, message) if sub else ctx.at_key(path, rule, message)
        if not name.startswith(prefix) and not ctx.waived(name, "metric-name-prefix"):
            yield ctx.at_key(("metrics", name), "metric-name-prefix",
                             f"'{name}' must start with the service prefix '{prefix}'")


def waivers(ctx: LintContext) -> Iterator[Finding]:
    from jamdash.lint import known_rule_ids

    known = known_rule_ids()
    for name, metric in ctx.spec.metrics.items():
        for i, waiver in enumerate(metric.waivers):
            if waiver.rule not in known:
                yield ctx.at(("metrics", name, "waivers", i, "rule"), "unknown-waiver-rule",
                             f"no lint rule '{waiver.rule}' to waive; waivable rules: {', '.join(sorted(known))}")


RULES = (metric_names, waivers)
