"""resolve: turn a lint-clean spec into the frozen, sorted Model."""

from __future__ import annotations

import os
from dataclasses import replace

from jamdash.load.source import SourceMap
from jamdash.model import Model
from jamdash.resolve.compat import resolve_compat
from jamdash.resolve.dashboards import resolve_dashboards
from jamdash.resolve.fleet import resolve_fleet
from jamdash.resolve.deployment import resolve_deployment
from jamdash.resolve.metrics import resolve_labels, resolve_metrics
from jamdash.resolve.recorder import Recorder
from jamdash.resolve.rules import resolve_rules
from jamdash.resolve.telemetry import resolve_telemetry
from jamdash.spec import Spec
from jamdash.spec.common import duration_seconds
from jamdash import conventions


def resolve(spec: Spec, source: SourceMap) -> Model:
    labels = resolve_labels(spec)
    metrics = resolve_metrics(spec, labels, source)
    by_name = {m.name: m for m in metrics}
    deployment = resolve_deployment(spec)
    title = spec.title or conventions.default_title(spec.service)
    fleet = resolve_fleet(spec)
    # how each series' replicas combine: a metric's own way; a histogram's parts are per process
    recorder = Recorder(spec.service, deployment.selector, fleet.cluster_label,
                        lambda series: by_name[series].combine if series in by_name else "sum")
    rules = replace(resolve_rules(spec, source, labels, recorder, deployment),
                    compat=resolve_compat(metrics, deployment.selector))
    return Model(
        spec_path=os.path.basename(source.path),
        service=spec.service,
        title=title,
        scrape_interval=spec.scrape_interval,
        scrape_interval_seconds=duration_seconds(spec.scrape_interval),
        max_series=spec.max_series,
        labels=tuple(labels.values()),
        metrics=metrics,
        deployment=deployment,
        source=source,
        rules=rules,
        telemetry=(resolve_telemetry(spec.service, spec.telemetry, labels, by_name)
                   if spec.telemetry is not None else None),
        dashboards=(resolve_dashboards(spec.dashboards, by_name, source, spec.service, rules, recorder,
                                       deployment.selector, title)
                    if spec.dashboards is not None else None),
        fleet=fleet,
    )
