"""Dashboard PromQL, built from resolved metrics: one function per panel intent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from jamdash import conventions as c
from jamdash.model.metrics import Metric
from jamdash.promql import build as b
from jamdash.record import frozen


@frozen
class Scope:
    """What every selector of a dashboard filters on: the deployment's target selector, the target labels
    and the variable labels."""

    variable_labels: frozenset[str]  # label names (not keys) that have a template variable
    target: tuple[str, ...] = ()  # the deployment's selector as rendered matchers, e.g. job="shop"
    cluster: str = ""  # the fleet's cluster label: filtered by $cluster and kept by every aggregation


def _label_name(metric: Metric, key: str) -> str:
    return next(label.name for label in metric.labels if label.key == key)


def selector(metric: Metric, scope: Scope, match: Mapping[str, Sequence[str]], series: str = "") -> str:
    """metric{<cluster>=~"$cluster",<target>,job=~"$job",instance=~"$instance",<variables>,<matches>}; series
    names a histogram part."""
    matchers = [b.cluster_matcher(scope.cluster)] if scope.cluster else []
    matchers += [*scope.target, *(b.variable_matcher(label) for label in c.TARGET_LABELS)]
    matchers += [b.variable_matcher(name) for name in metric.label_names if name in scope.variable_labels]
    matchers += [b.matcher(_label_name(metric, key), values) for key, values in dict(match).items()]
    return b.joined_selector(series or metric.name, matchers)


def _rate(series_selector: str) -> str:
    """rate(...[$__rate_interval]): Grafana picks the range from the scrape interval and the zoom."""
    return b.range_call("rate", series_selector, c.RATE_INTERVAL)


def group(metric: Metric, by: Sequence[str]) -> list[str]:
    """Label keys to label names, in the given order."""
    return [_label_name(metric, key) for key in by]


def keep(metric: Metric, by: Sequence[str], scope: Scope) -> list[str]:
    """The labels a query keeps: the cluster label (when the fleet has one), then by's names."""
    return list(c.panel_labels(group(metric, by), scope.cluster))


def rate(metric: Metric, scope: Scope, match: Mapping[str, Sequence[str]], by: Sequence[str],
         op: str | None = None) -> str:
    """op by (...) (rate(metric{...}[$__rate_interval])); op defaults to how the metric's replicas combine."""
    return b.aggregate(op or metric.combine, keep(metric, by, scope), _rate(selector(metric, scope, match)))


def ratio(num: Metric, num_match: Mapping[str, Sequence[str]], den: Metric, den_match: Mapping[str, Sequence[str]],
          scope: Scope, by: Sequence[str]) -> str:
    """Rate of the numerator over rate of the denominator, grouped alike on both sides."""
    return f"{rate(num, scope, num_match, by)} / {rate(den, scope, den_match, by)}"


def buckets(metric: Metric, scope: Scope, match: Mapping[str, Sequence[str]], by: Sequence[str]) -> str:
    """sum by (le, ...) (rate(metric_bucket{...}[$__rate_interval])): a histogram's bucket rates."""
    series = c.histogram_series_name(metric.name, "bucket")
    return b.aggregate("sum", [c.BUCKET_LABEL, *keep(metric, by, scope)], _rate(selector(metric, scope, match, series)))


def quantile(q: float, metric: Metric, scope: Scope, match: Mapping[str, Sequence[str]], by: Sequence[str]) -> str:
    return f"histogram_quantile({q:g}, {buckets(metric, scope, match, by)})"


def value(metric: Metric, scope: Scope, match: Mapping[str, Sequence[str]], by: Sequence[str],
          op: str | None = None) -> str:
    """op by (...) (gauge{...}): a gauge's current value; op defaults to how the metric's replicas combine."""
    return b.aggregate(op or metric.combine, keep(metric, by, scope), selector(metric, scope, match))


def age(metric: Metric, scope: Scope, match: Mapping[str, Sequence[str]], by: Sequence[str]) -> str:
    """Seconds since a Unix-timestamp gauge: time() - max by (...) (gauge{...})."""
    return f"time() - {value(metric, scope, match, by, 'max')}"


def reference(metric: Metric, scope: Scope, factor: float) -> str:
    """A configured limit as a line, scaled by factor (e.g. an alert threshold at 80% of the cap)."""
    expr = value(metric, scope, {}, ())
    return expr if factor == 1 else f"{factor:g} * {expr}"


def label_values(metric: Metric, label: str, scope_labels: Sequence[str], target: Sequence[str] = (),
                 cluster: str = "") -> str:
    """A template variable query: label_values(series{<cluster>=~"$cluster",<target>,<earlier variables>}, label),
    over a series that exists: a histogram's `_count` (its bare name has no series, so Prometheus would list
    no values)."""
    matchers = [b.cluster_matcher(cluster)] if cluster and label != cluster else []
    matchers += [*target, *(b.variable_matcher(name) for name in scope_labels)]
    series = c.histogram_series_name(metric.name, "count") if metric.type == "histogram" else metric.name
    return f"label_values({b.joined_selector(series, matchers)}, {label})"


def legend(labels: Sequence[str], prefix: str = "") -> str:
    """A Grafana legend format: prefix then {{label}} for each grouping label."""
    parts = ([prefix] if prefix else []) + ["{{" + label + "}}" for label in labels]
    return " ".join(parts)

