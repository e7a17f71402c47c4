"""resolve: turn a lint-clean Spec into the frozen, sorted Model."""

from __future__ import annotations

import os

from jamdash import conventions
from jamdash.model.fleet import Fleet
from jamdash.model.metrics import Deprecation, Label, Metric, Model
from jamdash.resolve.rules import cluster_label, resolve_rules
from jamdash.resolve.telemetry import resolve_telemetry
from jamdash.resolve.dashboards import resolve_dashboards
from jamdash.load.source import SourceMap
from jamdash.spec import Spec
from jamdash.spec.common import duration_seconds


def _label(key: str, spec: Spec) -> Label:
    raw = spec.labels[key]
    return Label(
        key=key,
        name=raw.name or key,
        help=raw.help,
        values=tuple(raw.values or ()),
        max_values=raw.max_values,
        overflow=raw.overflow,
    )


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


def resolve(spec: Spec, source: SourceMap) -> Model:
    labels = {key: _label(key, spec) for key in sorted(spec.labels)}
    metrics = []
    for name in sorted(spec.metrics):
        raw = spec.metrics[name]
        metric_labels = tuple(labels[key] for key in raw.labels)
        buckets = tuple(float(b) for b in raw.buckets or ())
        deprecated = None
        if raw.deprecated is not None:
            until = raw.deprecated.until.isoformat() if raw.deprecated.until else None
            deprecated = Deprecation(raw.deprecated.reason, raw.deprecated.renamed_to, until)
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
    metrics.sort(key=lambda m: m.name)
    by_name = {m.name: m for m in metrics}
    rules = resolve_rules(spec, source, labels)
    records = [r.record for r in rules.recording]
    return Model(
        spec_path=os.path.basename(source.path),
        service=spec.service,
        scrape_interval=spec.scrape_interval,
        scrape_interval_seconds=duration_seconds(spec.scrape_interval),
        max_series=spec.max_series,
        labels=tuple(labels.values()),
        metrics=tuple(metrics),
        source=source,
        rules=rules,
        telemetry=(resolve_telemetry(spec.service, spec.telemetry, labels, by_name)
                   if spec.telemetry is not None else None),
        dashboards=(resolve_dashboards(spec.dashboards, by_name, source, spec.service, spec.alerts,
                                       spec.recording_rules, records, cluster_label(spec))
                    if spec.dashboards is not None else None),
        fleet=_fleet(spec),
    )


def _fleet(spec: Spec) -> Fleet:
    if spec.fleet is None:
        return Fleet()
    raw = spec.fleet
    return Fleet(cluster_label=raw.cluster_label or "", backends=tuple(dict.fromkeys(["prometheus", *raw.backends])),
                 namespace=raw.namespace or spec.service, partial_response_strategy=raw.partial_response_strategy)
