"""The generated dashboards are what current Grafana exports, and show the plan's views."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import promql_parser
import pytest
from conftest import GENERATED, SPEC
from goldenkit import GOLDEN

from jamdash import conventions
from jamdash.promql import walk as promql_walk
from jamdash.model.dashboards import Panel
from jamdash.generate import grafana
from jamdash.pipeline import build

DASHBOARDS = sorted((GENERATED / "grafana" / "dashboards").glob("*.json"))
DS = {"type": "prometheus", "uid": "${datasource}"}
LEGACY_KEYS = {"rows", "span", "sharedCrosshair", "style", "hideControls", "__inputs", "maxDataPoints", "minSpan",
               "height", "intervalFactor", "step", "cards", "dataFormat", "xBucketSize", "yBucketSize"}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _model_panel(**kw: Any) -> Panel:
    base: dict[str, Any] = dict(title="t", description="d", kind="rate", display="timeseries", unit="ops",
                                targets=(), thresholds=(), link=None, width=12, height=8, position=(1, 1))
    return Panel(**{**base, **kw})


def _keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in _keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _keys(v)}
    return set()


def test_layout_fills_rows_of_24_columns_and_wraps() -> None:
    panels = tuple(_model_panel(width=w, height=h) for w, h in [(6, 5), (6, 5), (12, 8), (24, 8), (18, 4), (12, 4)])
    pos = [(p.x, p.y, p.w, p.h) for p in grafana.layout(panels)]
    assert pos == [(0, 0, 6, 5), (6, 0, 6, 5), (12, 0, 12, 8), (0, 8, 24, 8), (0, 16, 18, 4), (0, 20, 12, 4)]


def test_ref_ids_run_a_to_z_then_aa() -> None:
    assert [grafana.ref_id(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]


def test_uid_is_service_plus_slug_and_path_is_d_uid_slug() -> None:
    assert conventions.dashboard_uid("Pending Packages", "jam") == "jam-pending-packages"
    assert conventions.dashboard_uid("Pending Packages", "shop") == "shop-pending-packages"
    assert conventions.dashboard_path("processing", "jam") == "/d/jam-processing/processing"
    assert len(conventions.dashboard_uid("x" * 100, "jam")) == 40


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_generated_dashboard_is_modern_grafana_json(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    d = json.loads(text)
    assert text == json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "keys are sorted"
    assert d["schemaVersion"] >= 39 and d["editable"] is False
    assert d["uid"] == path.stem and d["uid"].startswith("jam-")
    assert not _keys(d) & LEGACY_KEYS, f"legacy grafanalib keys left: {_keys(d) & LEGACY_KEYS}"
    variables = {v["name"]: v for v in d["templating"]["list"]}
    assert list(variables) == ["datasource", "job", "instance", "store"]
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    for name in ("job", "instance", "store"):
        v = variables[name]
        assert (v["type"], v["multi"], v["includeAll"], v["allValue"], v["datasource"]) == ("query", True, True, ".+", DS)
    ids = [p["id"] for p in d["panels"]]
    assert ids == list(range(1, len(ids) + 1))
    cells: set[tuple[int, int]] = set()
    for p in d["panels"]:
        g = p["gridPos"]
        assert 0 <= g["x"] and g["x"] + g["w"] <= 24
        mine = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}
        assert not cells & mine, f"panel {p['title']!r} overlaps another"
        cells |= mine
        assert p["datasource"] == DS and p["description"].strip()
        unit = p["options"]["yAxis"]["unit"] if p["type"] == "heatmap" else p["fieldConfig"]["defaults"]["unit"]
        assert unit and unit != "none"
        assert [t["refId"] for t in p["targets"]] == [grafana.ref_id(i) for i in range(len(p["targets"]))]
        for t in p["targets"]:
            assert t["datasource"] == DS
            for node, parents in promql_walk.walk(promql_walk.parse(t["expr"])):
                if isinstance(node, promql_parser.MatrixSelector):
                    assert promql_walk.is_range_variable(node.range), f"{t['expr']} must use $__rate_interval"


def _board(uid: str) -> dict[str, Any]:
    return _load(GENERATED / "grafana" / "dashboards" / f"{uid}.json")


def _panel(uid: str, title: str) -> dict[str, Any]:
    return next(p for p in _board(uid)["panels"] if p["title"] == title)


def test_plan_views_request_and_error_rates_by_endpoint() -> None:
    rates = _panel("jam-http", "Request rate by endpoint")
    errors = _panel("jam-http", "Error ratio by endpoint")
    assert "sum by (endpoint)" in rates["targets"][0]["expr"]
    assert 'code_class=~"4xx|5xx"' in errors["targets"][0]["expr"] and " / " in errors["targets"][0]["expr"]
    assert errors["fieldConfig"]["defaults"]["unit"] == "percentunit"


def test_pending_packages_panel_draws_the_cap_and_the_alert_threshold() -> None:
    panel = _panel("jam-pending-packages", "Pending packages")
    exprs = {t["legendFormat"]: t["expr"] for t in panel["targets"]}
    assert exprs["cap"].startswith("max(jam_config_max_pending_packages{")
    assert exprs["JamPendingQueueNearCap threshold"].startswith("0.8 * max(jam_config_max_pending_packages{"), \
        "the line sits where the alert's gauge intent says: above 0.8 of the cap"
    dashed = {o["matcher"]["options"] for o in panel["fieldConfig"]["overrides"]
              if {"id": "custom.lineStyle", "value": {"dash": [10, 10], "fill": "dash"}} in o["properties"]}
    assert dashed == {"cap", "JamPendingQueueNearCap threshold"}


def test_preimage_sizes_and_latencies_as_heatmaps_and_quantiles() -> None:
    board = _board("jam-preimages")
    heatmaps = [p for p in board["panels"] if p["type"] == "heatmap"]
    assert {h["options"]["yAxis"]["unit"] for h in heatmaps} == {"bytes", "s"}
    assert all(t["format"] == "heatmap" and "_bucket{" in t["expr"] for h in heatmaps for t in h["targets"])
    for title, metric in (("Upload size p50/p90/p99", "jam_preimage_put_size_bytes"),
                          ("Upload latency p50/p90/p99", "jam_preimage_put_duration_seconds")):
        panel = _panel("jam-preimages", title)
        exprs = [t["expr"] for t in panel["targets"]]
        assert [e.split("{")[0] for e in exprs] == [f"job_instance_store:{metric}:p{q}_rate5m" for q in (50, 90, 99)], \
            "the quantile panels read the per-instance recorded quantiles"
        assert all('instance=~"$instance"' in e and 'store=~"$store"' in e for e in exprs)
        assert "fixed 5m window" in panel["description"]


def test_rejects_over_time_by_reason() -> None:
    panel = _panel("jam-rejects", "Rejects by reason")
    legends = [t["legendFormat"] for t in panel["targets"]]
    assert legends == ["rate limit", "quota {{reason}}", "pending cap"]


def test_overview_stats_link_to_existing_detail_dashboards() -> None:
    overview = _board("jam-overview")
    stats = [p for p in overview["panels"] if p["type"] == "stat"]
    assert len(stats) >= 6
    uids = {p.stem for p in DASHBOARDS}
    for stat in stats:
        assert stat["links"], f"stat {stat['title']!r} links nowhere"
        url = stat["links"][0]["url"]
        uid = url.split("/")[2]
        assert url.startswith(f"/d/{uid}/") and uid in uids and uid != "jam-overview"
        assert stat["fieldConfig"]["defaults"]["links"] == stat["links"]


def test_every_dashboard_in_the_spec_is_generated() -> None:
    model = build(str(SPEC)).model
    assert model is not None and model.dashboards is not None
    assert sorted(b.uid for b in model.dashboards.boards) == [p.stem for p in DASHBOARDS]
    assert {"jam-overview", "jam-http", "jam-pending-packages", "jam-preimages", "jam-rejects", "jam-processing",
            "jam-cleanup"} <= {p.stem for p in DASHBOARDS}


def test_a_deprecated_dashboard_says_so_in_its_description_and_tags() -> None:
    model = build(str(GOLDEN / "dashboards" / "deprecated" / "metrics_spec.yaml")).model
    assert model is not None
    boards = {path.rsplit("/", 1)[1]: json.loads(text) for path, text in grafana.generate(model)}
    old = boards["jam-old-requests.json"]
    assert old["description"] == ("Deprecated until 2027-03-31: Replaced by the Requests dashboard. "
                                  "Requests by store, as the first release drew them.")
    assert old["tags"] == ["jam", "requests", conventions.DEPRECATED_TAG]
    assert old["links"][0]["tags"] == ["jam"]  # the links menu still lists every dashboard of the service
    assert (boards["jam-legacy.json"]["description"], boards["jam-legacy.json"]["tags"]) == (
        "Deprecated: Nobody opens it.", ["jam", "deprecated"])
    assert (boards["jam-requests.json"]["description"], boards["jam-requests.json"]["tags"]) == ("", ["jam"])
    assert [p["title"] for p in old["panels"]] == ["Requests"]  # still generated in full until it is removed
