"""The first message names the real mistake, and a broken entry causes no follow-ups (issue 15 item 6)."""

from __future__ import annotations

from pathlib import Path

from speckit import findings

HEAD = """\
version: 1
service: shop
max_series: 100
labels:
  code_class: {help: Status class., values: ["2xx", "5xx"]}
  store: {help: Store., values: [a, b]}
metrics:
  shop_http_requests_total: {type: counter, help: Requests., labels: [code_class]}
  shop_jobs_total: {type: counter, help: Jobs., labels: [store]}
alerting:
  job: shop
  runbook_url: https://example.org/runbooks#{anchor}
"""
ALERT = """\
  ShopJobs:
    severity: warning
    for: 5m
    summary: S.
    description: D.
"""


def shown(tmp_path: Path, text: str) -> list[str]:
    return [f"{f.line}:{f.column} [{f.rule}] {f.message}" for f in findings(tmp_path, text)]


def test_an_unquoted_number_in_a_match_is_the_only_message(tmp_path: Path) -> None:
    text = HEAD + "alerts:\n" + ALERT + (
        "    ratio:\n      errors: {metric: shop_http_requests_total, match: {code_class: 500}}\n"
        "      total: shop_http_requests_total\n      window: 5m\n      above: 0.1\n      min_total_rate: 1\n")
    assert shown(tmp_path, text) == [
        "20:70 [wrong-type] alerts.ShopJobs.ratio.errors.match.code_class: expected text, got 500 (YAML reads "
        "unquoted numbers, dates, yes/no, on/off and true/false as non-text: quote it)"]


def test_a_misspelt_metric_in_a_raw_expr_is_named_first_with_a_suggestion(tmp_path: Path) -> None:
    text = HEAD + "alerts:\n" + ALERT + (
        '    expr: sum by (job) (rate(shop_job_total{job="$job"}[5m])) > 1\n'
        "    tests:\n      - name: fires\n        interval: 1m\n        eval_time: 10m\n"
        "        series: [{series: 'shop_jobs_total{job=\"shop\", instance=\"a\", store=\"a\"}', values: '0+60x20'}]\n"
        "        fires: true\n        labels: {job: shop}\n        value: 1\n")
    assert shown(tmp_path, text) == [
        "19:11 [promql-unknown-metric] alert ShopJobs: `shop_job_total{job=\"shop\"}`: 'shop_job_total' is not a "
        "declared metric, histogram series, recorded series or `up`; did you mean 'shop_jobs_total'?"]


def test_a_misspelt_field_leaves_its_entry_out_without_follow_ups(tmp_path: Path) -> None:
    text = HEAD.replace("  shop_jobs_total: {type: counter, help: Jobs., labels: [store]}",
                        "  shop_jobs_total: {type: counter, help: Jobs., lables: [store]}") + (
        "recording_rules:\n  - {rate: shop_jobs_total, by: [store], windows: [5m]}\n"
        "alerts:\n" + ALERT + "    rate: {metric: shop_jobs_total, by: [store], window: 5m, above: 1}\n"
        "dashboards:\n  target_metric: shop_jobs_total\n  variables: [store]\n  boards:\n    main:\n"
        "      title: Main\n      panels:\n        - {title: Jobs, kind: rate, metric: shop_jobs_total, by: [store]}\n"
        "telemetry:\n  logger: shop\n  events:\n    job:\n      help: A job.\n      fields:\n"
        "        store: {kind: enum, label: store, help: The store.}\n"
        "      metrics:\n        - {metric: shop_jobs_total, op: inc}\n")
    assert [line.split(" ", 2)[1] for line in shown(tmp_path, text)] == ["[unknown-field]"]


def test_misspelt_metrics_in_alerts_and_dashboards_get_a_did_you_mean(tmp_path: Path) -> None:
    text = HEAD + "alerts:\n" + ALERT + "    rate: {metric: shop_job_total, window: 5m, above: 1}\n" + (
        "dashboards:\n  target_metric: shop_http_request_total\n  boards:\n    main:\n      title: Main\n"
        "      panels:\n        - {title: Jobs, kind: rate, metric: shop_jobs_totl}\n")
    assert [line.split("] ", 1)[1] for line in shown(tmp_path, text)] == [
        "'shop_job_total' is not a declared metric; did you mean 'shop_jobs_total'?",
        "'shop_http_request_total' is not a declared metric; did you mean 'shop_http_requests_total'?",
        "'shop_jobs_totl' is not a declared metric; did you mean 'shop_jobs_total'?"]


def test_a_braced_path_in_a_flow_list_gets_a_quote_it_hint(tmp_path: Path) -> None:
    text = HEAD.replace("  store: {help: Store., values: [a, b]}\n",
                        "  store: {help: Store., values: [a, b]}\n  route:\n    help: Route.\n"
                        "    values: [/home, /products/{id}]\n")
    assert shown(tmp_path, text) == [
        "9:31 [yaml-syntax] while parsing a flow sequence, did not find expected ',' or ']': '/products/{id}' holds "
        "a { } or [ ], which YAML reads as structure inside a flow list; quote it: '/products/{id}'"]
