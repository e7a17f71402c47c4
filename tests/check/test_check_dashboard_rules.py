"""grafana dashboard-linter rules: each fails on a broken dashboard, none fires on the generated ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import GENERATED, SPEC

from jamdash.check import dashboards
from jamdash.check.dashboard_rules import lint_dashboard
from jamdash.findings import WARNING
from jamdash.generate import generate_all
from jamdash.pipeline import build

DASHBOARDS = sorted((GENERATED / "grafana" / "dashboards").glob("*.json"))
HTTP = GENERATED / "grafana" / "dashboards" / "jam-http.json"
Mutation = Callable[[dict[str, Any]], None]


def _var(d: dict[str, Any], name: str) -> dict[str, Any]:
    return next(v for v in d["templating"]["list"] if v["name"] == name)


def _target(d: dict[str, Any], expr: str) -> None:
    d["panels"][0]["targets"][0]["expr"] = expr


OK = '{job=~"$job",instance=~"$instance"}'
CASES: dict[str, list[tuple[str, Mutation]]] = {
    "template-datasource": [
        ("missing", lambda d: d["templating"]["list"].pop(0)),
        ("misnamed", lambda d: d["templating"]["list"][0].update(name="ds")),
        ("not prometheus", lambda d: d["templating"]["list"][0].update(query="loki")),
    ],
    "template-job": [
        ("missing", lambda d: d["templating"]["list"].remove(_var(d, "job"))),
        ("single select", lambda d: _var(d, "job").update(multi=False)),
        ("no All", lambda d: _var(d, "job").update(includeAll=False)),
        ("allValue", lambda d: _var(d, "job").update(allValue=".*")),
        ("fixed datasource", lambda d: _var(d, "job").update(datasource={"type": "prometheus", "uid": "abc"})),
        ("not a query", lambda d: _var(d, "job").update(type="custom")),
    ],
    "template-instance": [
        ("missing", lambda d: d["templating"]["list"].remove(_var(d, "instance"))),
        ("allValue", lambda d: _var(d, "instance").update(allValue=None)),
    ],
    "panel-datasource": [
        ("panel", lambda d: d["panels"][0].update(datasource={"type": "prometheus", "uid": "P1809F7CD0C75ACF3"})),
        ("target", lambda d: d["panels"][0]["targets"][0].update(datasource="Prometheus")),
    ],
    "panel-units": [
        ("missing", lambda d: d["panels"][0]["fieldConfig"]["defaults"].pop("unit")),
        ("invalid", lambda d: d["panels"][0]["fieldConfig"]["defaults"].update(unit="requests")),
    ],
    "panel-title-description": [
        ("no description", lambda d: d["panels"][0].pop("description")),
        ("blank title", lambda d: d["panels"][0].update(title=" ")),
    ],
    "panel-no-targets": [("empty", lambda d: d["panels"][0].update(targets=[]))],
    "target-promql": [("unclosed", lambda d: _target(d, "sum(rate(jam_http_requests_total[5m])"))],
    "target-rate-interval": [
        ("fixed window", lambda d: _target(d, f"sum(rate(jam_http_requests_total{OK}[5m]))")),
        ("irate", lambda d: _target(d, f"sum(irate(jam_http_requests_total{OK}[1m]))")),
    ],
    "target-counter-agg": [
        ("raw counter", lambda d: _target(d, f"sum(jam_http_requests_total{OK})")),
        ("delta of counter", lambda d: _target(d, f"sum(delta(jam_http_requests_total{OK}[$__rate_interval]))")),
    ],
    "target-job": [
        ("no job", lambda d: _target(d, 'sum(rate(jam_http_requests_total{instance=~"$instance"}[$__rate_interval]))')),
        ("job fixed", lambda d: _target(d, 'sum(jam_package_pending_gauge{job="jam",instance=~"$instance"})')),
    ],
    "target-instance": [
        ("no instance", lambda d: _target(d, 'sum(rate(jam_http_requests_total{job=~"$job"}[$__rate_interval]))')),
    ],
}
PARAMS = [(rule, name, m) for rule, cases in CASES.items() for name, m in cases]


@pytest.mark.parametrize("path", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_generated_dashboards_pass_every_rule(path: Path) -> None:
    assert lint_dashboard(json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize(("rule", "case", "mutate"), PARAMS, ids=[f"{r}:{c}" for r, c, _ in PARAMS])
def test_rule_fails_on_a_broken_dashboard(rule: str, case: str, mutate: Mutation) -> None:
    d = json.loads(HTTP.read_text(encoding="utf-8"))
    mutate(d)
    fired = {i.rule for i in lint_dashboard(d) if i.severity != WARNING}
    assert rule in fired, f"{rule} did not fire for '{case}' (fired: {sorted(fired)})"


def test_wrong_variable_label_is_a_warning_like_the_upstream_linter() -> None:
    d = json.loads(HTTP.read_text(encoding="utf-8"))
    _var(d, "job")["label"] = "job"
    assert [(i.rule, i.severity) for i in lint_dashboard(d)] == [("template-job", WARNING)]


RECORDED = "job_instance_store:jam_package_process_duration_seconds:p99_rate5m"


def test_a_recorded_series_needs_no_rate_interval_but_keeps_the_target_matchers() -> None:
    """target-rate-interval looks at rate()/irate() windows only: a recorded series (its window fixed by
    the rule) passes, while target-job/target-instance still hold for it."""
    d = json.loads(HTTP.read_text(encoding="utf-8"))
    _target(d, RECORDED + '{job=~"$job",instance=~"$instance",store=~"$store"}')
    assert lint_dashboard(d) == []
    _target(d, RECORDED + '{job=~"$job"}')
    assert [i.rule for i in lint_dashboard(d)] == ["target-instance"]


def test_every_issue_of_a_generated_dashboard_points_at_its_panel_in_the_spec() -> None:
    model = build(str(SPEC)).model
    assert model is not None and model.dashboards is not None
    files = generate_all(model)
    board = model.dashboards.board("http")
    d = json.loads(files["grafana/dashboards/jam-http.json"])
    d["panels"][1]["targets"][0]["expr"] = "sum(jam_http_requests_total)"
    d["templating"]["list"].pop(0)
    broken = {**files, "grafana/dashboards/jam-http.json": json.dumps(d)}
    found = {(f.rule, f.line, f.column) for f in dashboards.dashboard_findings(model, broken)}
    panel = board.panels[1].position
    assert ("target-counter-agg", panel.line, panel.column) in found
    assert ("target-job", panel.line, panel.column) in found
    assert ("template-datasource", board.position.line, board.position.column) in found


def test_jamdash_lint_passes_on_the_repository_spec() -> None:
    model = build(str(SPEC)).model
    assert model is not None
    assert dashboards.check(model, generate_all(model)) == []

