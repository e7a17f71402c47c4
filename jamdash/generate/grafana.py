"""Generator of generated/grafana/dashboards/*.json: grafanalib builds them, grafana_json modernises them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from grafanalib import core as g  # type: ignore[import-untyped]

from jamdash import conventions as c
from jamdash.model.dashboards import Dashboard, Dashboards, Panel, Variable
from jamdash.generate import grafana_json
from jamdash.model import Model

PATH = "grafana/dashboards/{uid}.json"
GRID_COLUMNS = 24
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}


def layout(panels: tuple[Panel, ...]) -> list[g.GridPos]:
    """Left to right on the 24-column grid, wrapping to a new row when a panel does not fit."""
    out: list[g.GridPos] = []
    x = y = row_height = 0
    for panel in panels:
        if x + panel.width > GRID_COLUMNS:
            x, y, row_height = 0, y + row_height, 0
        out.append(g.GridPos(h=panel.height, w=panel.width, x=x, y=y))
        x += panel.width
        row_height = max(row_height, panel.height)
    return out


def ref_id(index: int) -> str:
    """A, B, ... Z, AA, AB, ...: Grafana's query letters."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _targets(panel: Panel) -> list[g.Target]:
    return [g.Target(expr=t.expr, legendFormat=t.legend, refId=ref_id(i), format=t.format, datasource=DATASOURCE)
            for i, t in enumerate(panel.targets)]


def _link(panel: Panel) -> list[dict[str, Any]]:
    if panel.link is None:
        return []
    return [{"title": f"Open {panel.link.title}", "url": grafana_json.link_url(panel.link.path)}]


def _panel(panel: Panel, pid: int, pos: g.GridPos) -> g.Panel:
    common: dict[str, Any] = dict(
        id=pid, title=panel.title, description=panel.description, dataSource=DATASOURCE, targets=_targets(panel),
        gridPos=pos, links=_link(panel), editable=False,
    )
    if panel.display == "stat":
        return g.Stat(format=panel.unit, reduceCalc="lastNotNull", **common)
    if panel.display == "gauge":
        return g.GaugePanel(format=panel.unit, calc="lastNotNull", **common)
    if panel.display == "heatmap":
        return g.Heatmap(dataFormat="tsbuckets", **common)
    return g.TimeSeries(unit=panel.unit, fillOpacity=10, legendDisplayMode="list", tooltipMode="multi", **common)


def _template(var: Variable) -> g.Template:
    return g.Template(
        name=var.name, label=var.label, query=var.query, dataSource=DATASOURCE, multi=True, includeAll=True,
        allValue=c.ALL_VALUE, refresh=g.REFRESH_ON_TIME_RANGE_CHANGE, sort=g.SORT_ALPHA_ASC, default="$__all",
    )


def build(board: Dashboard, settings: Dashboards) -> g.Dashboard:
    """The grafanalib dashboard: legacy JSON until grafana_json.modernise has run over it."""
    templates = [g.Template(name="datasource", label="Data source", query="prometheus", type="datasource")]
    templates += [_template(v) for v in settings.variables]
    panels = [_panel(p, i, pos) for i, (p, pos) in enumerate(zip(board.panels, layout(board.panels)), start=1)]
    return g.Dashboard(
        title=board.title,
        uid=board.uid,
        description=board.description,
        tags=list(board.tags),
        editable=False,
        graphTooltip=g.GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR,
        panels=panels,
        templating=g.Templating(list=templates),
        time=g.Time(f"now-{settings.time_range}", "now"),
        refresh=settings.refresh,
        timezone="browser",
        links=[g.DashboardLink(title=f"{settings.title} dashboards", type="dashboards", tags=[board.tags[0]], asDropdown=True,
                               includeVars=True, keepTime=True)],
    )


def _json_data(value: Any) -> Any:
    """What grafanalib's DashboardEncoder does (grafanalib._gen, which imports argparse, is not loaded)."""
    return value.to_json_data()


@lru_cache(maxsize=32)  # the provisioning ConfigMaps embed the same JSON: render each board once per run
def render(board: Dashboard, settings: Dashboards) -> str:
    legacy = json.loads(json.dumps(build(board, settings).to_json_data(), default=_json_data))
    return grafana_json.dumps(grafana_json.modernise(legacy, board.panels))


def generate(model: Model) -> Iterator[tuple[str, str]]:
    if model.dashboards is None:
        return
    for board in model.dashboards.boards:
        yield PATH.format(uid=board.uid), render(board, model.dashboards)
