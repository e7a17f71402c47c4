"""resolve (metrics): labels with their values, each metric's series budget, and the overflow self-metric."""

from __future__ import annotations

from jamdash import conventions
from jamdash.load.source import SourceMap
from jamdash.model.metrics import Deprecation, Label, Metric
from jamdash.spec import Spec
from jamdash.spec import common as spec_common
from jamdash.spec.metrics import MetricDeprecation


def resolve_labels(spec: Spec) -> dict[str, Label]:
    """Every declared label by key, sorted."""
    return {key: _label(key, spec) for key in sorted(spec.labels)}


def _label(key: str, spec: Spec) -> Label:
    raw = spec.labels[key]
    return Label(
        key=key,
        name=raw.name or key,
        help=raw.help,
        values=tuple(raw.values or ()),
        max_values=raw.max_values,
        overflow=raw.overflow,
        max_length=raw.max_length,
    )


def resolve_deprecation(raw: spec_common.Deprecation | None) -> Deprecation | None:
    """The resolved deprecation of a metric, dashboard, log event or field (None when it is current)."""
    if raw is None:
        return None
    renamed_to = raw.renamed_to if isinstance(raw, MetricDeprecation) else None
    return Deprecation(raw.reason, raw.until.isoformat() if raw.until else None, renamed_to)


def resolve_metrics(spec: Spec, labels: dict[str, Label], source: SourceMap,
                    declared_only: bool = False) -> tuple[Metric, ...]:
    """The declared metrics and the overflow self-metric, sorted by name. An undeclared label raises KeyError;
    lint, which asks this of the shape-checked spec, passes declared_only to leave such labels out (it reports
    them)."""
    metrics = []
    for name in sorted(spec.metrics):
        raw = spec.metrics[name]
        metric_labels = tuple(labels[key] for key in raw.labels if not declared_only or key in labels)
        buckets = tuple(float(b) for b in raw.buckets or ())
        deprecated = resolve_deprecation(raw.deprecated)
        metrics.append(Metric(
            name=name,
            type=raw.type,
            help=raw.help.strip(),
            unit=raw.unit,
            labels=metric_labels,
            buckets=buckets,
            multiprocess_mode=raw.multiprocess_mode or ("livesum" if raw.type == "gauge" else None),
            waived=frozenset(w.rule for w in raw.waivers),
            deprecated=deprecated,
            series_budget=conventions.series_budget(
                [label.cardinality for label in metric_labels],
                len(buckets) if raw.type == "histogram" else None,
            ),
            position=source.key(("metrics", name)),
            replicas=raw.replicas if raw.type != "histogram" else "per_process",
        ))
    if any(m.labels for m in metrics):
        metrics.append(_overflow_metric(spec, metrics, source))
    return tuple(sorted(metrics, key=lambda m: m.name))


def _overflow_metric(spec: Spec, metrics: list[Metric], source: SourceMap) -> Metric:
    """The self-metric counting folds; one series per (metric, label) pair that can fold."""
    pairs = [(m.name, label.name) for m in metrics for label in m.labels]
    metric_label = Label("metric", "metric", "The metric whose label value was folded.",
                         tuple(sorted({m for m, _ in pairs})), None, "other")
    label_label = Label("label", "label", "The label whose value was folded.",
                        tuple(sorted({lb for _, lb in pairs})), None, "other")
    return Metric(
        name=conventions.overflow_metric_name(spec.service),
        type="counter",
        help="Label values folded into their overflow value because they were unknown or past max_values.",
        unit="",
        labels=(metric_label, label_label),
        buckets=(),
        multiprocess_mode=None,
        waived=frozenset(),
        deprecated=None,
        series_budget=len(pairs),
        position=source.key(("metrics",)),
        synthetic=True,
    )

