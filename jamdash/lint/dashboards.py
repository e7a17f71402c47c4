"""Rules on the dashboards section: every metric, label, value and link a panel names must exist and fit."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from jamdash import codes
from jamdash import conventions
from jamdash.findings import WARNING, Finding
from jamdash.spec.grafana_units import UNITS
from jamdash.lint.context import LintContext
from jamdash.load.source import Path
from jamdash.model.metrics import Metric
from jamdash.spec.dashboards import DashboardsSpec, PanelSeriesSpec, PanelSpec, ReferenceSpec


# What each panel kind computes, and the metric type it needs.
KIND_TYPES = {"rate": "counter", "ratio": "counter", "quantiles": "histogram", "heatmap": "histogram",
              "value": "gauge", "age": "gauge"}


def _label_values(metric: Metric) -> dict[str, tuple[str, ...] | None]:
    """A metric's labels by spec key: their closed values, or None for a bounded label."""
    return {label.key: (label.values if label.closed else None) for label in metric.labels}


def _metric(ctx: LintContext, name: str, path: Path, kind: str) -> Iterator[Finding]:
    metric = ctx.metrics.get(name)
    if metric is None and ctx.is_dropped(("metrics", name)):
        return  # its own shape error is reported already
    if metric is None:
        hint = ctx.did_you_mean(name) or "; declare it under 'metrics' or fix the name"
        yield ctx.at(path, codes.DASHBOARD_UNKNOWN_METRIC, f"'{name}' is not a declared metric{hint}")
    elif KIND_TYPES[kind] != metric.type:
        yield ctx.at(path, codes.DASHBOARD_KIND_METRIC_TYPE,
                     f"a '{kind}' panel needs a {KIND_TYPES[kind]}; '{name}' is a {metric.type}")


def _labels(ctx: LintContext, s: PanelSeriesSpec, by: list[str], path: Path) -> Iterator[Finding]:
    metric = ctx.metrics.get(s.metric)
    if metric is None:
        return
    labels = _label_values(metric)
    known = ", ".join(labels) or "none"
    for i, key in enumerate(by):
        if key not in labels:
            yield ctx.at((*path, "by", i), codes.DASHBOARD_UNKNOWN_LABEL,
                         f"'{s.metric}' has no label '{key}' to group by (its labels: {known})")
    for key, values in s.match.items():
        if key not in labels:
            yield ctx.at_key((*path, "match", key), codes.DASHBOARD_UNKNOWN_LABEL,
                             f"'{s.metric}' has no label '{key}' to match (its labels: {known})")
            continue
        allowed = labels[key]
        if allowed is None:
            yield ctx.at_key((*path, "match", key), codes.DASHBOARD_UNKNOWN_LABEL_VALUE,
                             f"label '{key}' is bounded, not closed; match only labels with a 'values' list")
            continue
        for j, value in enumerate(values):
            if value not in allowed:
                yield ctx.at((*path, "match", key, j), codes.DASHBOARD_UNKNOWN_LABEL_VALUE,
                             f"'{value}' is not a value of label '{key}' (values: {', '.join(allowed)})")


def _series(panel: PanelSpec, path: Path) -> list[tuple[PanelSeriesSpec, list[str], Path]]:
    if panel.metric is not None:
        return [(PanelSeriesSpec(metric=panel.metric, match=panel.match, by=panel.by, legend=None), panel.by, path)]
    return [(s, s.by or panel.by, (*path, "series", i)) for i, s in enumerate(panel.series)]


def _reference(ctx: LintContext, ref: ReferenceSpec, path: Path) -> Iterator[Finding]:
    if (ref.metric is None) == (ref.alert is None):
        yield ctx.at(path, codes.DASHBOARD_PANEL_SHAPE, f"reference '{ref.title}': give either 'metric' or 'alert'")
    elif ref.metric is not None:
        yield from _metric(ctx, ref.metric, (*path, "metric"), "value")
    elif ref.alert is not None:
        alert = ctx.spec.alerts.get(ref.alert)
        if alert is None or alert.gauge is None:
            gauges = ", ".join(name for name, a in ctx.spec.alerts.items() if a.gauge is not None) or "none"
            yield ctx.at((*path, "alert"), codes.DASHBOARD_REFERENCE_ALERT,
                         f"'{ref.alert}' is not a gauge alert, so it has no threshold to draw (gauge alerts: {gauges})")


def panel_references(ctx: LintContext) -> Iterator[Finding]:
    section = ctx.spec.dashboards
    if section is None:
        return
    for key, board in section.boards.items():
        for i, panel in enumerate(board.panels):
            path: Path = ("dashboards", "boards", key, "panels", i)
            for s, by, spath in _series(panel, path):
                mpath = (*spath, "metric")
                yield from _metric(ctx, s.metric, mpath, panel.kind)
                yield from _labels(ctx, s, by, spath)
            if panel.over is not None and panel.metric is not None:
                yield from _metric(ctx, panel.over.metric, (*path, "over", "metric"), "ratio")
                over = dataclasses.replace(panel.over, by=panel.by)
                yield from _labels(ctx, over, panel.by, (*path, "over"))
            for j, ref in enumerate(panel.references):
                yield from _reference(ctx, ref, (*path, "references", j))
            if panel.link is not None and panel.link not in section.boards:
                yield ctx.at((*path, "link"), codes.DASHBOARD_UNKNOWN_LINK,
                             f"no dashboard '{panel.link}' to link to (dashboards: {', '.join(section.boards)})")
            elif panel.link is not None:
                yield from _deprecated_link(ctx, section, (*path, "link"), panel.link)
            if panel.unit is not None and panel.unit not in UNITS:
                yield ctx.at((*path, "unit"), codes.DASHBOARD_UNKNOWN_UNIT,
                             f"'{panel.unit}' is not a Grafana unit id (e.g. reqps, ops, s, bytes, percentunit)")


def section_references(ctx: LintContext) -> Iterator[Finding]:
    section = ctx.spec.dashboards
    if section is None:
        return
    if section.target_metric not in ctx.metrics and ctx.unknown_metric(section.target_metric):
        yield ctx.at(("dashboards", "target_metric"), codes.DASHBOARD_UNKNOWN_METRIC,
                     f"'{section.target_metric}' is not a declared metric{ctx.did_you_mean(section.target_metric)}")
    for i, key in enumerate(section.variables):
        if key in section.variables[:i]:
            yield ctx.at(("dashboards", "variables", i), codes.DASHBOARD_UNKNOWN_LABEL,
                         f"'{key}' is listed twice; each label gets one variable")
            continue
        dropped_metrics = any(path[0] == "metrics" for path in ctx.dropped)  # might have had it
        if not dropped_metrics and not any(key in _label_values(m) for m in ctx.metrics.values() if not m.synthetic):
            yield ctx.at(("dashboards", "variables", i), codes.DASHBOARD_UNKNOWN_LABEL,
                         f"no metric has label '{key}', so a '{key}' variable would list nothing")
    for key in section.boards:
        if conventions.slug(key) != key:
            yield ctx.at_key(("dashboards", "boards", key), codes.DASHBOARD_KEY,
                             f"dashboard key '{key}' must be lower-case words joined by '-' "
                             f"(it becomes the uid '{conventions.dashboard_uid(key, ctx.spec.service)}')")



def alert_dashboards(ctx: LintContext) -> Iterator[Finding]:
    """An alert's dashboard_url must open a generated dashboard: its `dashboard` names a board."""
    section = ctx.spec.dashboards
    if section is None:
        return
    uids = {conventions.dashboard_uid(key, ctx.spec.service): key for key in section.boards}
    named: list[tuple[Path, str | None]] = [(("alerts", name, "dashboard"), a.dashboard)
                                            for name, a in ctx.spec.alerts.items()]
    named += [(("slo", i, "dashboard"), s.dashboard) for i, s in enumerate(ctx.spec.slo)]
    for path, dashboard in named:
        uid = conventions.dashboard_uid(dashboard, ctx.spec.service) if dashboard is not None else None
        if uid is not None and uid not in uids:
            yield ctx.at(path, codes.ALERT_UNKNOWN_DASHBOARD,
                         f"no dashboard '{dashboard}' (uid {uid}) "
                         f"for the alert's dashboard_url; dashboards: {', '.join(section.boards)}")
        elif uid is not None:
            yield from _deprecated_link(ctx, section, path, uids[uid])


def _deprecated_link(ctx: LintContext, section: DashboardsSpec, path: Path, key: str) -> Iterator[Finding]:
    """A warning when the dashboard a link opens is deprecated: the link breaks when the dashboard goes. A link
    from a dashboard deprecated as well goes with it."""
    deprecated = section.boards[key].deprecated
    from_board = section.boards[str(path[2])] if path[:2] == ("dashboards", "boards") else None
    if deprecated is not None and (from_board is None or from_board.deprecated is None):
        yield ctx.at(path, codes.DASHBOARD_LINK_DEPRECATED,
                     f"dashboard '{key}' is deprecated ({deprecated.reason.strip().rstrip('.')}); point this at its "
                     "replacement before the dashboard is removed", WARNING)


RULES = (panel_references, section_references, alert_dashboards)
