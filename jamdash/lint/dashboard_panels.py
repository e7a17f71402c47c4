"""Rules on the shape of each dashboard panel: which fields go with which kind of panel."""

from __future__ import annotations

from collections.abc import Iterator

from jamdash import codes
from jamdash.resolve.recorded_match import RECORDED_KINDS, recording_for, suggestion
from jamdash.findings import Finding
from jamdash.lint.context import LintContext
from jamdash.load.source import Path
from jamdash.spec.dashboards import PanelSpec

RULE = codes.DASHBOARD_PANEL_SHAPE
RECORDED = codes.DASHBOARD_UNKNOWN_RECORDING


def _shape(panel: PanelSpec) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if (panel.metric is None) == (not panel.series):
        yield (), "give either 'metric' (one series) or 'series' (several), not both or neither"
    if panel.metric is None and (panel.match or panel.legend):
        yield (), "'match' and 'legend' go with 'metric'; with 'series', put them on each series"
    if panel.kind in ("ratio", "heatmap") and panel.metric is None:
        yield ("kind",), f"a '{panel.kind}' panel shows one metric: use 'metric', not 'series'"
    if (panel.kind == "ratio") != (panel.over is not None):
        yield ("kind",), "a 'ratio' panel needs 'over' (the denominator), and only a ratio panel takes it"
    heatmap = panel.kind == "heatmap"
    if (heatmap and panel.display not in (None, "heatmap")) or (panel.display == "heatmap" and not heatmap):
        yield ("display",), "only a 'heatmap' panel is displayed as a heatmap, and it can only be one"
    if panel.kind == "heatmap" and panel.by:
        yield ("by",), "a heatmap groups by bucket only; drop 'by'"
    if panel.kind == "quantiles" and not panel.quantiles:
        yield ("quantiles",), "list at least one quantile, or leave 'quantiles' out for p50, p90 and p99"
    for i, q in enumerate(panel.quantiles):
        if not 0 < q < 1:
            yield ("quantiles", i), f"quantile {q:g} must lie strictly between 0 and 1"
    if panel.references and panel.display not in (None, "timeseries"):
        yield ("references",), "reference lines are drawn on time series panels only"


def panel_shapes(ctx: LintContext) -> Iterator[Finding]:
    section = ctx.spec.dashboards
    if section is None:
        return
    for key, board in section.boards.items():
        titles: dict[str, int] = {}
        for i, panel in enumerate(board.panels):
            path: Path = ("dashboards", "boards", key, "panels", i)
            for sub, message in _shape(panel):
                yield ctx.at((*path, *sub), RULE, f"panel '{panel.title}': {message}")
            if panel.title in titles:
                yield ctx.at((*path, "title"), codes.DASHBOARD_PANEL_TITLE_DUPLICATE,
                             f"dashboard '{key}' already has a panel '{panel.title}' (panel {titles[panel.title] + 1}); "
                             "titles name panels in findings and tests, so keep them unique")
            titles.setdefault(panel.title, i)


def _recorded(ctx: LintContext, panel: PanelSpec) -> str | None:
    """Why the panel's `recorded:` cannot be served, or None when a recording_rules entry matches."""
    section = ctx.spec.dashboards
    if panel.kind not in RECORDED_KINDS:
        return f"only {' and '.join(RECORDED_KINDS)} panels read recorded series, not '{panel.kind}' panels"
    if panel.metric is None or panel.metric not in ctx.spec.metrics or section is None:
        return None if panel.metric else "a panel reading recorded series shows one 'metric', not 'series'"
    keys = ctx.spec.metrics[panel.metric].labels
    if recording_for(panel, ctx.spec.recording_rules, keys, section.variables) is not None:
        return None
    return (f"no recording_rules entry records what this panel shows over {panel.recorded} per instance; "
            f"add {suggestion(panel, keys, section.variables)}")


def recorded_panels(ctx: LintContext) -> Iterator[Finding]:
    """A panel that asks for recorded series (`recorded: 5m`) names a recording rule that exists."""
    section = ctx.spec.dashboards
    for key, board in (section.boards if section else {}).items():
        for i, panel in enumerate(board.panels):
            problem = _recorded(ctx, panel) if panel.recorded else None
            if problem:
                yield ctx.at(("dashboards", "boards", key, "panels", i, "recorded"), RECORDED,
                             f"panel '{panel.title}': {problem}")


RULES = (panel_shapes, recorded_panels)
