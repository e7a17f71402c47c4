"""Turn grafanalib 0.7.1's legacy dashboard JSON (schemaVersion 12) into what current Grafana exports."""

from __future__ import annotations

import json
from typing import Any

from jamdash.model.dashboards import Panel

SCHEMA_VERSION = 39
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
ALL = {"selected": True, "text": ["All"], "value": ["$__all"]}
BUILT_IN_ANNOTATIONS = {
    "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True, "hide": True,
    "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard",
}

_LEGACY_DASHBOARD = ("__inputs", "rows", "sharedCrosshair", "style", "hideControls", "gnetId", "id")
_LEGACY_PANEL = ("span", "height", "minSpan", "error", "editable", "cacheTimeout", "hideTimeOverride", "interval",
                 "maxDataPoints", "repeat", "repeatDirection", "maxPerRow", "timeFrom", "timeShift", "transparent",
                 "transformations", "cards", "color", "dataFormat", "heatmap", "hideZeroBuckets", "highlightCards",
                 "legend", "reverseYBuckets", "tooltip", "xAxis", "xBucketNumber", "xBucketSize", "yAxis",
                 "yBucketBound", "yBucketNumber", "yBucketSize")
_LEGACY_VARIABLE = ("useTags", "tagsQuery", "tagValuesQuery", "auto", "auto_min", "auto_count")
_TARGET_KEYS = ("expr", "legendFormat", "refId", "format")


def link_url(path: str) -> str:
    """A link to another dashboard that keeps the time range and the variables' values."""
    return path + "?${__url_time_range}&${__all_variables}"


def _no_nulls(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _variable(var: dict[str, Any]) -> dict[str, Any]:
    out = _no_nulls({k: v for k, v in var.items() if k not in _LEGACY_VARIABLE})
    out["regex"] = ""
    if out["type"] == "datasource":
        out["current"] = {}
        return out
    query = out["query"]
    out.update(datasource=DATASOURCE, definition=query, current=ALL, options=[],
               query={"qryType": 1, "query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"})
    return out


def _target(target: dict[str, Any]) -> dict[str, Any]:
    out = {k: target[k] for k in _TARGET_KEYS}
    out.update(datasource=DATASOURCE, editorMode="code", range=True)
    return out


def _thresholds(panel: Panel) -> dict[str, Any]:
    steps: list[dict[str, Any]] = [{"color": "green", "value": None}]
    steps += [{"color": t.color, "value": t.value} for t in panel.thresholds]
    return {"mode": "absolute", "steps": steps}


def _reference_overrides(panel: Panel) -> list[dict[str, Any]]:
    """Reference lines (caps, alert thresholds): a fixed colour, dashed, unfilled."""
    return [{
        "matcher": {"id": "byName", "options": t.legend},
        "properties": [
            {"id": "color", "value": {"fixedColor": t.reference_color, "mode": "fixed"}},
            {"id": "custom.lineStyle", "value": {"dash": [10, 10], "fill": "dash"}},
            {"id": "custom.fillOpacity", "value": 0},
        ],
    } for t in panel.targets if t.reference_color]


def _timeseries(out: dict[str, Any], panel: Panel) -> None:
    defaults = _no_nulls(out["fieldConfig"]["defaults"])
    defaults["custom"] = _no_nulls(defaults["custom"])
    defaults["custom"]["thresholdsStyle"] = {"mode": "dashed" if panel.thresholds else "off"}
    defaults["thresholds"] = _thresholds(panel)
    out["fieldConfig"] = {"defaults": defaults, "overrides": _reference_overrides(panel)}
    out["options"]["legend"]["showLegend"] = True


def _single_value_defaults(out: dict[str, Any], panel: Panel) -> None:
    """Stat and gauge: coloured by thresholds; clicking the value follows the panel's link."""
    defaults = {"color": {"mode": "thresholds"}, "mappings": [], "thresholds": _thresholds(panel), "unit": panel.unit}
    if panel.link:
        defaults["links"] = out["links"]
    out["fieldConfig"] = {"defaults": defaults, "overrides": []}


def _stat(out: dict[str, Any], panel: Panel) -> None:
    _single_value_defaults(out, panel)
    out["options"].update(showPercentChange=False, wideLayout=True)


def _gauge(out: dict[str, Any], panel: Panel) -> None:
    """grafanalib's gauge is the pre-7 singlestat shape: rebuild options the way Grafana 10+ saves them."""
    _single_value_defaults(out, panel)
    out["options"] = {
        "minVizHeight": 75, "minVizWidth": 75, "orientation": "auto", "showThresholdLabels": False,
        "showThresholdMarkers": True, "sizing": "auto",
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
    }


def _heatmap(out: dict[str, Any], panel: Panel) -> None:
    """Prometheus buckets as they are (calculate: false), y axis in the metric's unit."""
    out["fieldConfig"] = {"defaults": {"custom": {
        "hideFrom": {"legend": False, "tooltip": False, "viz": False}, "scaleDistribution": {"type": "linear"},
    }}, "overrides": []}
    out["options"] = {
        "calculate": False, "cellGap": 1, "cellValues": {"unit": "ops"},
        "color": {"exponent": 0.5, "fill": "dark-orange", "mode": "scheme", "reverse": False, "scale": "exponential",
                  "scheme": "Oranges", "steps": 64},
        "exemplars": {"color": "rgba(255,0,255,0.7)"}, "filterValues": {"le": 1e-9}, "legend": {"show": True},
        "rowsFrame": {"layout": "auto"}, "showValue": "never",
        "tooltip": {"mode": "single", "showColorScale": False, "yHistogram": False},
        "yAxis": {"axisPlacement": "left", "reverse": False, "unit": panel.unit},
    }


_BY_TYPE = {"timeseries": _timeseries, "stat": _stat, "gauge": _gauge, "heatmap": _heatmap}


def _panel(legacy: dict[str, Any], panel: Panel) -> dict[str, Any]:
    out = _no_nulls({k: v for k, v in legacy.items() if k not in _LEGACY_PANEL})
    out["datasource"] = DATASOURCE
    out["targets"] = [_target(t) for t in legacy["targets"]]
    out["links"] = [{"targetBlank": False, **link} for link in legacy.get("links", [])]
    if not out["links"]:
        del out["links"]
    _BY_TYPE[out["type"]](out, panel)
    return out


def modernise(legacy: dict[str, Any], panels: tuple[Panel, ...]) -> dict[str, Any]:
    """The dashboard as current Grafana exports it: schemaVersion 39, datasource refs, variables, no legacy keys."""
    out = _no_nulls({k: v for k, v in legacy.items() if k not in _LEGACY_DASHBOARD})
    out.update(
        schemaVersion=SCHEMA_VERSION,
        editable=False,
        annotations={"list": [BUILT_IN_ANNOTATIONS]},
        templating={"list": [_variable(v) for v in legacy["templating"]["list"]]},
        timepicker={"refresh_intervals": legacy["timepicker"]["refresh_intervals"]},
        panels=[_panel(p, model) for p, model in zip(legacy["panels"], panels, strict=True)],
    )
    return out


def dumps(dashboard: dict[str, Any]) -> str:
    """Sorted keys and two-space indent, so diffs of generated dashboards stay small."""
    return json.dumps(dashboard, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
