"""Prometheus naming conventions for metrics, as `promtool check metrics` applies them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator

from jamdash import codes
from jamdash import conventions
from jamdash.findings import Finding
from jamdash.lint.context import LintContext
from jamdash.load.source import Path
from jamdash.spec import Spec
from jamdash.spec.metrics import MetricSpec

_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

# A check yields (path below the metric, message); an empty path points at the metric's name.
Check = Callable[[str, MetricSpec, Spec], Iterator[tuple[Path, str]]]


def _snake_case(name: str, metric: MetricSpec, spec: Spec) -> Iterator[tuple[Path, str]]:
    if ":" in name:
        yield (), f"'{name}' contains ':', which is reserved for recording rules; use '_' instead"
    elif not _SNAKE.match(name):
        suggestion = re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
                                               .lower())).strip("_")
        yield (), (f"'{name}' must be snake_case (lower-case letters and digits in words joined by single "
                   f"underscores), e.g. '{suggestion}'")


def _prefix(name: str, metric: MetricSpec, spec: Spec) -> Iterator[tuple[Path, str]]:
    if not name.startswith(spec.service + "_"):
        yield (), f"'{name}' must start with the service prefix '{spec.service}_'"


def _counter_total(name: str, metric: MetricSpec, spec: Spec) -> Iterator[tuple[Path, str]]:
    if metric.type == "counter" and not name.endswith("_total"):
        yield (), f"counter '{name}' must end in '_total': rename it '{name}_total'"


def _total_not_counter(name: str, metric: MetricSpec, spec: Spec) -> Iterator[tuple[Path, str]]:
    if metric.type != "counter" and name.endswith("_total"):
        yield (), (f"only counters end in '_total', but '{name}' is a {metric.type}: "
                   f"rename it '{name.removesuffix('_total')}' or make it a counter")


def _reserved_suffix(name: str, metric: MetricSpec, spec: Spec) -> Iterator[tuple[Path, str]]:
    for suffix in conventions.RESERVED_SUFFIXES:
        if name.endswith(suffix):
            yield (), (f"'{name}' ends in '{suffix}', which Prometheus reserves for the series of histograms "
                       "and summaries; choose another name")


def _base_units(name: str, metric: MetricSpec, spec: Spec) -> Iterator[tuple[Path, str]]:
    for part in name.split("_"):
        if part in conventions.NON_BASE_UNITS:
            yield (), (f"'{name}' uses '{part}'; measure in the base unit '{conventions.NON_BASE_UNITS[part]}' "
                       "and name it so")
    if metric.unit and metric.unit not in conventions.BASE_UNITS:
        better = conventions.NON_BASE_UNITS.get(metric.unit)
        hint = f"use '{better}'" if better else f"use one of {', '.join(conventions.BASE_UNITS)}"
        yield ("unit",), f"unit '{metric.unit}' is not a base unit: {hint}"


def _unit_suffix(name: str, metric: MetricSpec, spec: Spec) -> Iterator[tuple[Path, str]]:
    stem = name.removesuffix("_total")
    if metric.unit and not stem.endswith("_" + metric.unit):
        yield ("unit",), (f"'{name}' has unit '{metric.unit}' but its name does not end in '_{metric.unit}'"
                          f"{' (before _total)' if stem != name else ''}: add the unit to the name")
    if not metric.unit:
        for unit in conventions.BASE_UNITS:
            if stem.endswith("_" + unit):
                yield (), f"'{name}' ends in '_{unit}' but declares no unit: add 'unit: {unit}'"


def _help(name: str, metric: MetricSpec, spec: Spec) -> Iterator[tuple[Path, str]]:
    if not metric.help.strip():
        yield (), f"'{name}' has no help text: add 'help:' saying in one sentence what it counts or measures"


def _type_in_name(name: str, metric: MetricSpec, spec: Spec) -> Iterator[tuple[Path, str]]:
    for word in conventions.TYPE_WORDS:
        if word in name.split("_"):
            yield (), (f"'{name}' contains the type word '{word}'; the type is metadata, not part of the name: "
                       f"drop '_{word}'")


def _buckets(name: str, metric: MetricSpec, spec: Spec) -> Iterator[tuple[Path, str]]:
    if metric.type != "histogram":
        if metric.buckets is not None:
            yield ("buckets",), f"only histograms have buckets, but '{name}' is a {metric.type}: remove 'buckets'"
        return
    if not metric.buckets:
        yield (), f"histogram '{name}' needs 'buckets', a list of upper bounds (its series budget depends on them)"
        return
    for i, bound in enumerate(metric.buckets):
        if math.isinf(bound) or math.isnan(bound):
            yield ("buckets", i), "list finite bounds only: the +Inf bucket is added automatically"
    for i, (low, high) in enumerate(zip(metric.buckets, metric.buckets[1:]), start=1):
        if not high > low:
            yield ("buckets", i), (f"bucket {high:g} is not greater than the one before it ({low:g}): "
                                   "buckets must strictly increase")


def _multiprocess(name: str, metric: MetricSpec, spec: Spec) -> Iterator[tuple[Path, str]]:
    if metric.multiprocess_mode is not None and metric.type != "gauge":
        yield ("multiprocess_mode",), (f"multiprocess_mode applies to gauges only, but '{name}' is a "
                                       f"{metric.type}: remove it")


CHECKS: dict[codes.Code, Check] = {
    codes.METRIC_NAME_SNAKE_CASE: _snake_case,
    codes.METRIC_NAME_PREFIX: _prefix,
    codes.COUNTER_TOTAL_SUFFIX: _counter_total,
    codes.TOTAL_SUFFIX_NOT_COUNTER: _total_not_counter,
    codes.RESERVED_SUFFIX: _reserved_suffix,
    codes.BASE_UNIT: _base_units,
    codes.UNIT_SUFFIX: _unit_suffix,
    codes.HELP_MISSING: _help,
    codes.TYPE_IN_NAME: _type_in_name,
    codes.HISTOGRAM_BUCKETS: _buckets,
    codes.MULTIPROCESS_MODE_GAUGE_ONLY: _multiprocess,
}


def check_metric(ctx: LintContext, name: str, rule: codes.Code) -> Iterator[Finding]:
    """The findings of one naming rule on one metric, ignoring waivers."""
    metric = ctx.spec.metrics[name]
    for sub, message in CHECKS[rule](name, metric, ctx.spec):
        path = ("metrics", name, *sub)
        yield ctx.at(path, rule, message) if sub else ctx.at_key(path, rule, message)


def metric_names(ctx: LintContext) -> Iterator[Finding]:
    for name in ctx.spec.metrics:
        for rule in CHECKS:
            if not rule.waivable or not ctx.waived(name, rule):
                yield from check_metric(ctx, name, rule)


RULES = (metric_names,)
