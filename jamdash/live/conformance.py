"""Does one exposition match the spec? Every declared metric, its type, unit, suffixes, buckets, labels and budget."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from jamdash import codes, conventions
from jamdash.findings import Finding
from jamdash.live.exposition import Exposition, Family, Sample
from jamdash.model.metrics import Label, Metric
from jamdash.model import Model
from jamdash.promql.build import number

_PARTS = ("bucket", "sum", "count")
Found = Callable[[codes.Code, str], Finding]  # (rule, message) -> a finding at the metric


def exported(model: Model) -> tuple[Metric, ...]:
    """The metrics the generated module exports: all but the old names of renamed ones (recorded by Prometheus)."""
    old = {rule.old for rule in model.rules.compat}
    return tuple(m for m in model.metrics if m.name not in old)


def sample_names(metric: Metric) -> tuple[str, ...]:
    """The names of the samples a metric of the declared type exposes (`_created` aside)."""
    if metric.type == "histogram":
        return tuple(conventions.histogram_series_name(metric.name, part) for part in _PARTS)
    return (metric.name,)


def check(model: Model, exposition: Exposition, all_prefixes: bool = False) -> list[Finding]:
    """Every difference between the exposition and the spec; undeclared metrics of other prefixes only
    when all_prefixes (a process exports python_gc_*, process_* ... besides the service's own)."""
    by_name = {f.name: f for f in exposition.families}
    declared = {m.name for m in model.metrics}
    counted = declared & set(by_name)  # the service's families, whose series count towards max_series
    findings: list[Finding] = []
    for metric in exported(model):
        family = by_name.get(metric.name)
        if family is not None and family.type == "unknown" and not family.samples:
            family = None  # only a HELP line: its samples, if any, are under other names
        near = [by_name[n] for n in _near_names(metric) if n in by_name and n not in declared]
        counted.update(f.name for f in near)
        if near:
            findings.append(_misnamed(model, metric, near, exposition))
        if family is not None:
            findings += _family(model, metric, family)
        elif not near:
            findings.append(_missing(model, metric, exposition))
    known = counted | {_created(m) for m in model.metrics}
    for family in exposition.families:
        own = family.name.startswith(f"{model.service}_")
        if family.name not in known and (own or all_prefixes):
            findings.append(_undeclared(model, family, exposition))
        if family.name not in known and own:
            counted.add(family.name)
    series = sum(by_name[name].series for name in counted)
    if series > model.max_series:
        findings.append(Finding.at(
            model.spec_path, model.source.key(("max_series",)), codes.LIVE_MAX_SERIES,
            f"{exposition.source} exposes {series} series of the service's metrics, over max_series "
            f"({model.max_series}): find the metrics over their budget, or raise max_series"))
    return findings


def _undeclared(model: Model, family: Family, exposition: Exposition) -> Finding:
    return Finding.at(model.spec_path, model.source.key(("metrics",)), codes.LIVE_METRIC_UNDECLARED,
                      f"{family.name} ({_kind(family)}, {_count(family.series, 'series')}) is exposed by "
                      f"{exposition.source} but not declared: declare it under metrics: or stop exporting it")


def _created(metric: Metric) -> str:
    """The name of the `_created` gauge the text format exposes beside a counter or histogram."""
    return f"{conventions.strip_total(metric.name)}_created"


def _near_names(metric: Metric) -> list[str]:
    """Names a metric is exposed under when its suffix is wrong."""
    names = [conventions.strip_total(metric.name), f"{metric.name}_total"]
    names += [conventions.histogram_series_name(metric.name, part) for part in _PARTS]
    return [n for n in names if n != metric.name]


def _kind(family: Family) -> str:
    return "untyped" if family.type == "unknown" else f"a {family.type}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if noun == "series" or n == 1 else f"{n} {noun}s"


def _missing(model: Model, metric: Metric, exposition: Exposition) -> Finding:
    return Finding.at(model.spec_path, metric.position, codes.LIVE_METRIC_MISSING,
                      f"{metric.name} is not exposed by {exposition.source}: the service runs a metrics module "
                      "older than the spec, or does not register it; regenerate and redeploy")


def _misnamed(model: Model, metric: Metric, near: list[Family], exposition: Exposition) -> Finding:
    shown = ", ".join(f"{f.name} ({_kind(f)})" for f in near)
    expected = ", ".join(sample_names(metric))
    return Finding.at(model.spec_path, metric.position, codes.LIVE_SUFFIX,
                      f"{metric.name} ({metric.type}) is exposed by {exposition.source} as {shown}: its series "
                      f"must be named {expected}, which queries and rules select")


def _family(model: Model, metric: Metric, family: Family) -> Iterator[Finding]:
    def found(rule: str, message: str) -> Finding:
        return Finding.at(model.spec_path, metric.position, rule, message)

    if family.type != metric.type:
        yield found(codes.LIVE_TYPE, f"{metric.name} is exposed as {_kind(family)}, but the spec declares a "
                                     f"{metric.type}: the service runs code that is not the generated module")
    elif stray := sorted({s.name for s in family.samples} - set(sample_names(metric))):
        yield found(codes.LIVE_SUFFIX, f"{metric.name} ({metric.type}) exposes samples {', '.join(stray)}; "
                                  f"its series are {', '.join(sample_names(metric))}")
    if family.unit and family.unit != metric.unit:
        declared = f"'{metric.unit}'" if metric.unit else "none"
        yield found(codes.LIVE_UNIT,
                    f"{metric.name} is exposed with unit '{family.unit}', but the spec's unit is {declared}")
    if metric.type == "histogram" and family.type == "histogram":
        yield from _buckets(metric, family, found)
    yield from _labels(metric, family, found)
    if family.series > metric.series_budget:
        yield found(codes.LIVE_SERIES_BUDGET, f"{metric.name} has {family.series} series, over its budget of "
                                         f"{metric.series_budget}: a label takes values the spec does not bound")


def _buckets(metric: Metric, family: Family, found: Found) -> Iterator[Finding]:
    bucket = conventions.histogram_series_name(metric.name, "bucket")
    bounds: set[float] = set()
    for sample in family.samples:
        le = sample.label_dict.get(conventions.BUCKET_LABEL)
        if sample.name == bucket and le is not None:
            try:
                bounds.add(float(le))
            except ValueError:
                bounds.add(math.nan)
    bounds.discard(math.inf)
    if bounds and bounds != set(metric.buckets):
        yield found(codes.LIVE_BUCKETS, f"{metric.name} has buckets [{_bounds(bounds)}], but the spec's are "
                                   f"[{_bounds(metric.buckets)}]: quantiles and SLOs read the spec's bounds")


def _bounds(values: set[float] | tuple[float, ...]) -> str:
    return ", ".join(number(v) for v in sorted(values, key=lambda v: (math.isnan(v), v)))


def _labels(metric: Metric, family: Family, found: Found) -> Iterator[Finding]:
    declared = set(metric.label_names)
    seen: dict[str, set[str]] = {}
    undeclared: set[str] = set()
    missing: set[str] = set()
    for sample in family.samples:
        names = {n for n, _ in sample.labels if not _reserved(sample, n, metric)}
        undeclared |= names - declared
        missing |= declared - names
        for name, value in sample.labels:
            seen.setdefault(name, set()).add(value)
    if undeclared:
        yield found(codes.LIVE_LABEL_UNDECLARED,
                    f"{metric.name} has series with label {', '.join(sorted(undeclared))}, which it does not declare "
                    f"(labels: {_names(metric)})")
    if missing:
        yield found(codes.LIVE_LABEL_MISSING,
                    f"{metric.name} has series without label {', '.join(sorted(missing))} (labels: {_names(metric)})")
    for label in metric.labels:
        yield from _values(metric, label, seen.get(label.name, set()), found)


def _reserved(sample: Sample, name: str, metric: Metric) -> bool:
    """le on a histogram's buckets, quantile on a summary's quantiles: the type's own labels."""
    return (name == conventions.BUCKET_LABEL and sample.name.endswith("_bucket")) or \
        (name == "quantile" and sample.name == metric.name)


def _names(metric: Metric) -> str:
    return ", ".join(metric.label_names) or "none"


def _values(metric: Metric, label: Label, values: set[str], found: Found) -> Iterator[Finding]:
    values = values - {label.overflow}
    if label.closed:
        outside = sorted(values - set(label.values))
        if outside:
            yield found(codes.LIVE_LABEL_VALUE,
                        f"{metric.name} has {label.name}={', '.join(map(repr, outside))}, outside its values "
                        f"({', '.join(label.values)}) and overflow '{label.overflow}': the module that folds unknown "
                        "values is not in use")
    elif label.max_values is not None and len(values) > label.max_values:
        yield found(codes.LIVE_LABEL_CARDINALITY,
                    f"{metric.name} has {len(values)} distinct {label.name} values besides '{label.overflow}', over "
                    f"max_values ({label.max_values})")
