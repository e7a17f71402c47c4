"""SLOs take the selectors alert ratios take, and latency SLIs over a histogram's bucket bound (issue 15
item 5); their burn-rate alerts and recorded error ratios pass their generated promtool tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import require_tool
from speckit import findings, write_spec

from jamdash.cli import cli
from jamdash.model import Model
from jamdash.pipeline import build

SPEC = """\
version: 1
service: shop
max_series: 200
labels:
  code_class: {help: Status class., values: ["2xx", "4xx", "5xx"]}
  route: {help: Route., values: [home, product]}
metrics:
  shop_http_requests_total: {type: counter, help: Requests answered., labels: [route, code_class]}
  shop_http_request_duration_seconds:
    type: histogram
    unit: seconds
    help: Time to answer one request.
    labels: [route]
    buckets: [0.1, 0.5, 1, 2.5]
alerting:
  job: shop
  runbook_url: https://example.org/runbooks#{anchor}
slo:
  - name: Availability
    objective: 0.999
    errors: {metric: shop_http_requests_total, match: {code_class: "5xx"}}
    total: shop_http_requests_total
    summary: Requests fail too often.
  - name: ProductLatency
    objective: 0.99
    latency: {histogram: shop_http_request_duration_seconds, below: 1, match: {route: product}}
    summary: Product pages are too slow.
  - name: PageLatency
    objective: 0.95
    latency: {histogram: shop_http_request_duration_seconds, below: 0.5}
    by: [route]
    summary: Pages are too slow.
"""


def _built(tmp_path: Path) -> tuple[Model, dict[str, str]]:
    """The model of SPEC, and its recorded series' expressions by name."""
    model = build(str(write_spec(tmp_path, SPEC))).model
    assert model is not None
    return model, {r.record: r.expr for r in model.rules.recording}


def test_a_matched_error_selector_builds_the_slo_over_recorded_rates(tmp_path: Path) -> None:
    # the user's `errors: {metric, match}` was rejected: "slo.0.errors: expected text, got a mapping"
    model, records = _built(tmp_path)
    assert records["job:shop_slo_availability_errors:ratio_rate1h"] == (
        'sum by (job) (job_code_class:shop_http_requests:rate1h{code_class="5xx"}) / on (job) '
        "job:shop_http_requests:rate1h")
    page = next(a for a in model.rules.alerts if a.name == "ShopAvailabilityBudgetBurnPage")
    assert page.expr == ("job:shop_slo_availability_errors:ratio_rate1h > 0.0144 and on (job) "
                         "job:shop_slo_availability_errors:ratio_rate5m > 0.0144")


def test_a_latency_slo_counts_the_observations_above_its_bucket_bound(tmp_path: Path) -> None:
    model, records = _built(tmp_path)
    assert records["job_route:shop_slo_page_latency_errors:ratio_rate5m"] == (
        '1 - sum by (job, route) (rate(shop_http_request_duration_seconds_bucket{job="shop", le=~"0.5"}[5m])) / '
        'on (job, route) sum by (job, route) (rate(shop_http_request_duration_seconds_count{job="shop"}[5m]))')
    assert records["job:shop_slo_product_latency_errors:ratio_rate5m"] == (
        '1 - sum by (job) (rate(shop_http_request_duration_seconds_bucket{job="shop", route="product", '
        'le=~"1|1.0"}[5m])) / on (job) sum by (job) (rate(shop_http_request_duration_seconds_count{job="shop", '
        'route="product"}[5m]))')
    ticket = next(a for a in model.rules.alerts if a.name == "ShopProductLatencyBudgetBurnTicket")
    assert "share of shop_http_request_duration_seconds observations above 1" in ticket.annotation_dict["description"]


@pytest.mark.slow
def test_the_slo_alerts_and_recorded_ratios_pass_their_promtool_tests(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    require_tool("promtool")
    monkeypatch.chdir(tmp_path)
    write_spec(tmp_path, SPEC)
    result = CliRunner().invoke(cli, ["lint"])
    assert (result.exit_code, result.stdout) == (0, "")


LATENCY = "latency: {histogram: shop_http_request_duration_seconds, below: 1, match: {route: product}}"


@pytest.mark.parametrize(("latency", "expected"), [
    (LATENCY.replace("below: 1", "below: 0.75"),
     "26:69 slo-sli 0.75 is not a bucket bound of shop_http_request_duration_seconds (0.1, 0.5, 1, 2.5); "
     "a latency SLI counts the observations of one bucket"),
    (LATENCY.replace("shop_http_request_duration_seconds", "shop_http_requests_total"),
     "26:26 alert-metric 'shop_http_requests_total' is a counter; this needs a histogram"),
])
def test_a_latency_sli_reads_a_bucket_of_a_histogram(tmp_path: Path, latency: str, expected: str) -> None:
    text = SPEC.replace(LATENCY, latency)
    assert [f"{f.line}:{f.column} {f.rule} {f.message}" for f in findings(tmp_path, text)] == [expected]


def test_an_slo_has_one_kind_of_sli(tmp_path: Path) -> None:
    text = SPEC.replace("    total: shop_http_requests_total\n", "")
    assert [f"{f.line}:{f.column} {f.rule}" for f in findings(tmp_path, text)] == ["19:5 slo-sli"]
