"""resolve, dashboards part: turn the lint-clean dashboards section into resolved Dashboards."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from jamdash import conventions as c
from jamdash.promql import panels as q
from jamdash.promql.build import target_matcher
from jamdash.model.deployment import Matcher
from jamdash.model.dashboards import HEATMAP, Dashboard, Dashboards, Link, Panel, Target, Threshold, Variable
from jamdash.model.metrics import Metric
from jamdash.model.rules import RuleSet
from jamdash.resolve.metrics import resolve_deprecation
from jamdash.resolve.recorded import Recorded, recorded_targets
from jamdash.resolve.recorder import Recorder
from jamdash.load.source import SourceMap
from jamdash.spec.dashboards import DashboardsSpec, PanelSeriesSpec, PanelSpec

_INTENT = {
    "rate": "Per-second rate of: {help}",
    "ratio": "Share of {num} in {den}. {help}",
    "quantiles": "Quantiles ({quantiles}) of: {help}",
    "heatmap": "Distribution over time (per-second observations in each bucket) of: {help}",
    "value": "Current value of: {help}",
    "age": "Seconds since: {help}",
}
_VALUE_UNITS = {"seconds": "s", "bytes": "bytes"}
_RATE_UNITS = {"bytes": "Bps"}
SIZES = {"timeseries": (12, 8), "heatmap": (12, 8), "stat": (6, 5), "gauge": (6, 5)}


def series_of(panel: PanelSpec) -> list[PanelSeriesSpec]:
    """The panel's series: the shorthand metric/match/legend, or its series list; `by` applies to all."""
    if panel.metric is not None:
        return [PanelSeriesSpec(metric=panel.metric, match=panel.match, by=panel.by, legend=panel.legend)]
    return [dataclasses.replace(s, by=s.by or panel.by) for s in panel.series]


def short_name(metric: str, service: str) -> str:
    return metric.removeprefix(service + "_").removesuffix("_total").replace("_", " ")


def default_unit(kind: str, metric: Metric) -> str:
    if kind == "ratio":
        return "percentunit"
    if kind == "age":
        return "s"
    if kind == "rate":
        return _RATE_UNITS.get(metric.unit, "ops")
    return _VALUE_UNITS.get(metric.unit, "short")


def _legend(s: PanelSeriesSpec, metric: Metric, scope: q.Scope, service: str, many: bool, prefix: str = "") -> str:
    name = s.legend or (short_name(metric.name, service) if many or not (s.by or prefix) else "")
    text = " ".join(p for p in (prefix, name) if p)
    return q.legend(q.keep(metric, s.by, scope), text)


Thresholds = Mapping[str, tuple[str | None, float]]  # gauge alert -> (its cap metric or None, its `above`)


def alert_thresholds(rules: RuleSet) -> dict[str, tuple[str | None, float]]:
    """Where each resolved gauge alert fires: `above` times its cap (relative_to), or `above` itself."""
    return {a.name: (a.intent.relative_to, a.intent.above) for a in rules.alerts if a.intent.kind == "gauge"}


def _targets(panel: PanelSpec, metrics: Mapping[str, Metric], scope: q.Scope, service: str,
             thresholds: Thresholds, recorded: Recorded) -> list[Target]:
    series = series_of(panel)
    many = len(series) > 1
    out: list[Target] = []
    if panel.recorded:
        out = recorded_targets(panel, metrics[series[0].metric], scope, recorded)
        series = []
    for s in series:
        m = metrics[s.metric]
        if panel.kind == "rate":
            out.append(Target(q.rate(m, scope, s.match, s.by, panel.aggregate), _legend(s, m, scope, service, many), (m.name,)))
        elif panel.kind == "value":
            out.append(Target(q.value(m, scope, s.match, s.by, panel.aggregate), _legend(s, m, scope, service, many), (m.name,)))
        elif panel.kind == "age":
            out.append(Target(q.age(m, scope, s.match, s.by), _legend(s, m, scope, service, many), (m.name,)))
        elif panel.kind == "heatmap":
            out.append(Target(q.buckets(m, scope, s.match, []), "{{le}}", (m.name,), HEATMAP))
        elif panel.kind == "quantiles":
            for quantile in panel.quantiles:
                label = f"p{quantile * 100:g}"
                out.append(Target(q.quantile(quantile, m, scope, s.match, s.by),
                                  _legend(s, m, scope, service, many, label), (m.name,)))
        elif panel.kind == "ratio" and panel.over is not None:
            den = metrics[panel.over.metric]
            expr = q.ratio(m, s.match, den, panel.over.match, scope, s.by)
            out.append(Target(expr, _legend(s, m, scope, service, many), (m.name, den.name)))
    for ref in panel.references:
        metric, factor = (ref.metric, ref.factor) if ref.metric else thresholds[ref.alert or ""]
        if metric is None:  # an absolute alert threshold
            out.append(Target(f"vector({factor:g})", ref.title, (), reference_color=ref.color))
        else:
            m = metrics[metric]
            out.append(Target(q.reference(m, scope, factor), ref.title, (m.name,), reference_color=ref.color))
    return out


def _description(panel: PanelSpec, metrics: Mapping[str, Metric], service: str, recorded: Recorded) -> str:
    text = _intent_description(panel, metrics, service)
    if not panel.recorded:
        return text
    return f"{text} {recorded.description(panel, metrics[series_of(panel)[0].metric])}"


def _intent_description(panel: PanelSpec, metrics: Mapping[str, Metric], service: str) -> str:
    if panel.description:
        return panel.description.strip()
    names = [s.metric for s in series_of(panel)]
    helps = " ".join(metrics[n].help for n in names)
    den = panel.over.metric if panel.over else ""
    return _INTENT[panel.kind].format(
        help=helps, num=short_name(names[0], service), den=short_name(den, service),
        quantiles=", ".join(f"p{x * 100:g}" for x in panel.quantiles))


def _panel(panel: PanelSpec, path: tuple[str | int, ...], spec: DashboardsSpec, metrics: Mapping[str, Metric],
           scope: q.Scope, source: SourceMap, service: str, thresholds: Thresholds, recorded: Recorded) -> Panel:
    display = panel.display or ("heatmap" if panel.kind == "heatmap" else "timeseries")
    first = metrics[series_of(panel)[0].metric]
    width, height = SIZES[display]
    link = None
    if panel.link is not None:
        link = Link(spec.boards[panel.link].title, c.dashboard_uid(panel.link, service),
                    c.dashboard_path(panel.link, service))
    return Panel(
        title=panel.title,
        description=_description(panel, metrics, service, recorded),
        kind=panel.kind,
        display=display,
        unit=panel.unit or default_unit(panel.kind, first),
        targets=tuple(_targets(panel, metrics, scope, service, thresholds, recorded)),
        thresholds=tuple(Threshold(t.value, t.color) for t in panel.thresholds),
        link=link,
        width=panel.width or width,
        height=panel.height or height,
        position=source.value(path),
    )


def _variables(spec: DashboardsSpec, metrics: Mapping[str, Metric], selector: tuple[str, ...],
               cluster: str) -> tuple[Variable, ...]:
    """The cluster variable when the fleet has a cluster label, job, instance, then the spec's variables;
    each lists the values within the clusters picked."""
    target = metrics[spec.target_metric]
    out = [Variable(c.CLUSTER_VARIABLE, "Cluster", q.label_values(target, cluster, [], selector))] if cluster else []
    out += [Variable("job", "Job", q.label_values(target, "job", [], selector, cluster)),
            Variable("instance", "Instance", q.label_values(target, "instance", ["job"], selector, cluster))]
    for key in spec.variables:
        carrier = next(m for m in metrics.values() if not m.synthetic and key in {lb.key for lb in m.labels})
        name = next(lb.name for lb in carrier.labels if lb.key == key)
        out.append(Variable(name, name.replace("_", " ").capitalize(),
                            q.label_values(carrier, name, list(c.TARGET_LABELS), selector, cluster)))
    return tuple(out)


def resolve_dashboards(spec: DashboardsSpec, metrics: Mapping[str, Metric], source: SourceMap,
                       service: str, rules: RuleSet, recorder: Recorder,
                       selector: Sequence[Matcher], title: str) -> Dashboards:
    """Dashboards in the spec's order, each panel's PromQL built from the resolved metrics and reading only
    the deployment's targets (selector); reference lines from the resolved gauge alerts, and `recorded:`
    panels read the recorded series the Recorder made. With a fleet cluster label (the Recorder's), every
    query filters by $cluster and keeps the label."""
    target = tuple(target_matcher(m) for m in selector)
    cluster = recorder.cluster
    variables = _variables(spec, metrics, target, cluster)
    recorded = Recorded(recorder, spec.variables)
    thresholds = alert_thresholds(rules)
    fixed = {c.CLUSTER_VARIABLE, *c.TARGET_LABELS}
    scope = q.Scope(frozenset(v.name for v in variables if v.name not in fixed), target, cluster)
    boards = []
    for key, board in spec.boards.items():
        base = ("dashboards", "boards", key)
        panels = tuple(_panel(p, (*base, "panels", i), spec, metrics, scope, source, service, thresholds, recorded)
                       for i, p in enumerate(board.panels))
        deprecated = resolve_deprecation(board.deprecated)
        description, tags = board.description.strip(), [service, *board.tags]
        if deprecated:  # the dashboard tells its users, in Grafana's list and search too
            description, tags = f"{deprecated.sentence()} {description}".strip(), [*tags, c.DEPRECATED_TAG]
        boards.append(Dashboard(
            key=key, uid=c.dashboard_uid(key, service), path=c.dashboard_path(key, service), title=board.title,
            description=description, tags=tuple(dict.fromkeys(tags)), panels=panels, position=source.key(base),
            deprecated=deprecated))
    return Dashboards(spec.folder or title, title, spec.refresh, spec.time_range, variables, tuple(boards))
