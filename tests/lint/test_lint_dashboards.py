"""Dashboards lint rules that span sections; the per-panel rules have golden cases in tests/golden/dashboards."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SPEC

from jamdash.check import dashboards
from jamdash.generate import generate_all
from jamdash.model import Model
from jamdash.pipeline import build


def test_an_alert_whose_dashboard_does_not_exist_is_reported_at_its_dashboard_field(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert "    dashboard: processing\n" in text
    spec = tmp_path / "metrics_spec.yaml"
    spec.write_text(text.replace("    dashboard: processing\n", "    dashboard: procesing\n", 1), encoding="utf-8")
    line = text[: text.index("    dashboard: processing\n")].count("\n") + 1
    found = [f for f in build(str(spec)).findings if f.rule == "alert-unknown-dashboard"]
    assert [(f.line, f.column) for f in found] == [(line, 16)]
    assert "'procesing' (uid jam-procesing)" in found[0].message and "processing" in found[0].message


def test_every_alert_dashboard_of_the_repository_spec_is_generated() -> None:
    result = build(str(SPEC))
    assert result.model is not None and result.model.dashboards is not None
    assert not [f for f in result.findings if f.rule == "alert-unknown-dashboard"]


def test_a_reference_line_from_an_alert_without_a_gauge_threshold_is_reported(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8")
    ref = "alert: JamPendingQueueNearCap, color: orange}"
    assert ref in text
    spec = tmp_path / "metrics_spec.yaml"
    spec.write_text(text.replace(ref, "alert: JamTargetDown, color: orange}"), encoding="utf-8")
    found = [f for f in build(str(spec)).findings if f.rule == "dashboard-reference-alert"]
    assert len(found) == 1 and "'JamTargetDown' is not a gauge alert" in found[0].message
    assert "JamPendingQueueNearCap" in found[0].message  # lists the gauge alerts there are


SHOP = """\
version: 1
service: shop
max_series: 100
labels:
  route:
    help: The route.
    values: [home, product]
metrics:
  shop_http_request_duration_seconds:
    type: histogram
    unit: seconds
    help: Time to answer one request.
    labels: [route]
    buckets: [0.1, 1]
dashboards:
  target_metric: shop_http_request_duration_seconds
  variables: [route]
  boards:
    http:
      title: HTTP
      panels:
        - {title: Latency, kind: quantiles, metric: shop_http_request_duration_seconds, quantiles: [0.99]}
"""


def _variables(files: dict[str, str]) -> dict[str, str]:
    board = json.loads(files["grafana/dashboards/shop-http.json"])
    return {v["name"]: v["definition"] for v in board["templating"]["list"] if v["type"] == "query"}


def _shop(tmp_path: Path) -> tuple[Model, dict[str, str]]:
    spec = tmp_path / "metrics_spec.yaml"
    spec.write_text(SHOP, encoding="utf-8")
    result = build(str(spec))
    assert result.model is not None, result.findings
    return result.model, generate_all(result.model)


def test_variables_over_a_histogram_read_its_count_series(tmp_path: Path) -> None:
    # issue 15 item 2: label_values(<histogram's bare name>, route) listed nothing in Grafana
    model, files = _shop(tmp_path)
    assert _variables(files) == {
        "job": 'label_values(shop_http_request_duration_seconds_count{job="shop"}, job)',
        "instance": 'label_values(shop_http_request_duration_seconds_count{job="shop",job=~"$job"}, instance)',
        "route": 'label_values(shop_http_request_duration_seconds_count{job="shop",job=~"$job",instance=~"$instance"}, '
                 'route)'}
    assert dashboards.check(model, files) == []


def test_a_variable_reading_a_series_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    model, files = _shop(tmp_path)
    path = "grafana/dashboards/shop-http.json"
    files[path] = files[path].replace("_count{job=\\\"shop\\\",job=~", "{job=\\\"shop\\\",job=~")
    found = [(f.line, f.rule, f.message) for f in dashboards.check(model, files)]
    assert found == [(19, "dashboard-undeclared-metric", f"dashboard 'HTTP': variable '{name}' lists no values: it "
                      "reads 'shop_http_request_duration_seconds', a histogram's bare name, which has no series: "
                      "read 'shop_http_request_duration_seconds_count'") for name in ("instance", "route")]


def _deprecating(tmp_path: Path, *boards: str) -> list[tuple[int, int, str, str, str]]:
    """The repository spec with these dashboards deprecated: its findings as (line, column, rule, severity, message)."""
    text = SPEC.read_text(encoding="utf-8")
    for key in boards:
        head = f"    {key}:\n      title: "
        assert head in text
        text = text.replace(head, f"    {key}:\n      deprecated: {{reason: Merged into another one.}}\n      title: ")
    spec = tmp_path / "metrics_spec.yaml"
    spec.write_text(text, encoding="utf-8")
    return [(f.line, f.column, f.rule, f.severity, f.message) for f in build(str(spec)).findings]


def _lines(text: str) -> list[tuple[int, int]]:
    """(line, column) of the value of every line of the repository spec that is exactly text."""
    lines = SPEC.read_text(encoding="utf-8").splitlines()
    return [(n + 1, line.index(text.split()[-1]) + 1) for n, line in enumerate(lines) if line.strip() == text]


def test_links_to_a_deprecated_dashboard_are_warned_about_where_they_are(tmp_path: Path) -> None:
    # the two alerts that open the board and the overview panel's link, all above the board (their lines stay)
    at = _lines("dashboard: rejects") + _lines("link: rejects")
    found = _deprecating(tmp_path, "rejects")
    assert sorted(f[:4] for f in found if f[2] == "dashboard-link-deprecated") == sorted(
        (line, column, "dashboard-link-deprecated", "warning") for line, column in at)
    assert len(at) == 3 and not [f for f in found if f[3] == "error"]
    assert all("dashboard 'rejects' is deprecated (Merged into another one); point this at its replacement" in f[4]
               for f in found if f[2] == "dashboard-link-deprecated")


def test_a_deprecated_dashboard_linking_to_another_deprecated_one_is_not_warned_about(tmp_path: Path) -> None:
    found = _deprecating(tmp_path, "rejects", "overview")
    warned = [f[0] for f in found if f[2] == "dashboard-link-deprecated" and "'rejects'" in f[4]]
    assert warned == [line for line, _ in _lines("dashboard: rejects")]  # not the overview's link: it goes with it
