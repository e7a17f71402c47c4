"""The series a Prometheus holds for the service's job: metrics present and within budget, recorded series there.

Every metric the generated module exports has series, and no more on one target than its budget; every
recorded series that an alert, a dashboard panel or another rule reads exists.
"""

from __future__ import annotations

from collections.abc import Iterator

from jamdash import codes
from jamdash.findings import Finding
from jamdash.live.conformance import exported, sample_names
from jamdash.live.prometheus_api import PrometheusApi
from jamdash.model import Model
from jamdash.model.metrics import Metric
from jamdash.promql.catalog import metric_of


def names_regex(names: list[str]) -> str:
    """A `__name__=~` regex matching exactly these names (metric and recorded names need no escaping)."""
    return "|".join(sorted(names))


def selector(names: list[str], matchers: str) -> str:
    return f'{{__name__=~"{names_regex(names)}", {matchers}}}'


def check(model: Model, api: PrometheusApi, matchers: str) -> tuple[list[Finding], list[str]]:
    """Findings, and a note per metric naming its largest series count (largest first)."""
    metrics = exported(model)
    owner = {name: m for m in metrics for name in sample_names(m)}
    counts: dict[tuple[str, str], int] = {}  # (metric, instance) -> series
    for labels, value in api.vector(f"count by (__name__, instance) ({selector(list(owner), matchers)})"):
        metric = owner.get(labels.get("__name__", ""))
        if metric is not None:
            key = (metric.name, labels.get("instance", ""))
            counts[key] = counts.get(key, 0) + int(value)
    largest: dict[str, tuple[int, str]] = {}
    for (name, instance), n in counts.items():
        largest[name] = max(largest.get(name, (0, "")), (n, instance))
    findings = list(_absent_or_over(model, metrics, largest, matchers))
    findings += _recorded(model, api, matchers)
    notes = [f"{name}: {n} series (instance {instance or 'none'}), budget {model.metric(name).series_budget}"
             for name, (n, instance) in sorted(largest.items(), key=lambda kv: (-kv[1][0], kv[0]))]
    return findings, notes


def _absent_or_over(model: Model, metrics: tuple[Metric, ...], largest: dict[str, tuple[int, str]],
                    matchers: str) -> Iterator[Finding]:
    for metric in metrics:
        if metric.name not in largest:
            yield Finding.at(model.spec_path, metric.position, codes.LIVE_SERIES_ABSENT,
                             f"{metric.name} has no series for {{{matchers}}}: the service does not export it, or "
                             "Prometheus does not scrape it as this job")
            continue
        n, instance = largest[metric.name]
        if n > metric.series_budget:
            yield Finding.at(model.spec_path, metric.position, codes.LIVE_SERIES_BUDGET,
                             f"{metric.name} has {n} series on instance {instance or '(none)'}, over its budget of "
                             f"{metric.series_budget}: a label takes values the spec does not bound")


def read_recorded(model: Model) -> list[str]:
    """Recorded series (of the spec's recording rules and the compat rules) that alerts, dashboard panels
    or other rules read."""
    from jamdash.model.references import queries

    recorded = {rule.record for rule in model.rules.recording} | {rule.record for rule in model.rules.compat}
    read = {name for _, names in queries(model) for name in names} | _read_by_panels(model)
    return sorted(read & recorded)


def _read_by_panels(model: Model) -> set[str]:
    """Series names the dashboards' queries select (references name a panel's metrics, not its recorded series)."""
    from jamdash.promql.walk import parse, selector_name, selectors

    names = set()
    for board in model.dashboards.boards if model.dashboards else ():
        for panel in board.panels:
            for target in panel.targets:
                names |= {selector_name(node) or "" for node, _ in selectors(parse(target.expr))}
    return names


def _recorded(model: Model, api: PrometheusApi, matchers: str) -> Iterator[Finding]:
    names = read_recorded(model)
    if not names:
        return
    present = {labels.get("__name__", "") for labels, _ in
               api.vector(f"count by (__name__) ({selector(names, matchers)})")}
    where = {rule.record: rule.position for rule in model.rules.recording}
    histograms = {m.name for m in model.metrics if m.type == "histogram"}
    for name in names:
        if name in present:
            continue
        old = model.metrics_by_name.get(metric_of(name, histograms))  # a compat rule records an old metric name
        pos = where.get(name) or (old.position if old else model.source.key(("recording_rules",)))
        yield Finding.at(model.spec_path, pos, codes.LIVE_RECORDED_ABSENT,
                         f"recorded series {name} has no series for {{{matchers}}}, but alerts or dashboards read "
                         "it: its rule group is not loaded, or the series it reads are missing")
