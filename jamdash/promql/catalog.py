"""What each series name in a rule may refer to, with its labels and allowed values.

The names: declared metrics, their histogram parts, recorded series and Prometheus' own `up`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from jamdash import conventions
from jamdash.model import Model
from jamdash.model.metrics import Metric
from jamdash.record import frozen

ANY: tuple[str, ...] | None = None  # a label whose values are not declared (job, instance, le, ...)


@frozen
class SeriesKind:
    """kind: counter, gauge, histogram (never queried directly), bucket, recorded or target."""

    name: str
    kind: str
    labels: dict[str, tuple[str, ...] | None]  # label name -> allowed values (None: any)

    @property
    def is_counter(self) -> bool:
        return self.kind in ("counter", "bucket")


def exported_series(metrics: Iterable[Metric]) -> dict[str, str]:
    """Every series name the metrics export -> the metric it belongs to (a histogram's parts fold into it)."""
    out = {}
    for m in metrics:
        out[m.name] = m.name
        if m.type == "histogram":
            for part in conventions.HISTOGRAM_PARTS:
                out[conventions.histogram_series_name(m.name, part)] = m.name
    return out


def metric_of(series: str, histograms: Collection[str]) -> str:
    """The metric a series belongs to: a histogram's parts fold into it, any other name is its own."""
    for part in conventions.HISTOGRAM_PARTS:
        base = series.removesuffix("_" + part)
        if base != series and base in histograms and conventions.histogram_series_name(base, part) == series:
            return base
    return series


def catalog(model: Model) -> dict[str, SeriesKind]:
    """Every name a rule expression may select, by name."""
    out: dict[str, SeriesKind] = {}
    # the labels the scraper adds to every series: the deployment's and, in a fleet, the cluster label
    added = (*model.deployment.target_labels, *((model.fleet.cluster_label,) if model.fleet.cluster_label else ()))
    target: dict[str, tuple[str, ...] | None] = {label: ANY for label in added}
    for metric in model.metrics:
        labels = dict(target)
        for label in metric.labels:
            labels[label.name] = (*label.values, label.overflow) if label.closed else ANY
        if metric.type == "histogram":
            out[metric.name] = SeriesKind(metric.name, "histogram", labels)
            bucket = conventions.histogram_series_name(metric.name, "bucket")
            out[bucket] = SeriesKind(bucket, "bucket", {**labels, conventions.BUCKET_LABEL: ANY})
            for part in ("count", "sum"):  # counters, unlike the _bucket series
                name = conventions.histogram_series_name(metric.name, part)
                out[name] = SeriesKind(name, "counter", labels)
        else:
            out[metric.name] = SeriesKind(metric.name, metric.type, labels)
    out["up"] = SeriesKind("up", "target", dict(target))
    for rule in model.rules.recording:
        base = rule.intent.metric or rule.intent.errors
        source = out.get(base.metric) if base else None
        labels = {label: (source.labels.get(label, ANY) if source else ANY) for label in rule.labels}
        out[rule.record] = SeriesKind(rule.record, "recorded", labels)
    return out
