"""The deployment section (jamdash/lint/deployment.py) and the names derived from the service, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from speckit import BASE, message, where, write_spec

from jamdash.generate import generate_all
from jamdash.pipeline import build

SHOP = BASE.replace("service: jam", "service: shop").replace("jam_things_total", "shop_things_total")
ALERTS = """\
alerting:
  runbook_url: https://runbooks.example.org/#{anchor}
alerts:
  ShopTargetDown:
    severity: critical
    for: 5m
    summary: A target is down.
    description: '{{ $labels.instance }} is down.'
    target_down: {}
  ShopThingsGone:
    severity: critical
    for: 5m
    summary: The things are gone.
    description: No things.
    absent: {metric: shop_things_total}
"""


def test_the_selector_lints_clean(tmp_path: Path) -> None:
    text = SHOP + "deployment:\n  selector: '{job=~\"shop-.*\", namespace=\"payments\"}'\n" \
                  "  test_labels: {job: shop-api, namespace: payments}\n"
    assert where(tmp_path, text) == []


@pytest.mark.parametrize("selector, says", [
    ("shop_things_total{job=\"x\"}", "no metric name"),
    ("{__name__=\"x\"}", "drop the __name__ matcher"),
    ("{job=~\"(\"}", "not a PromQL selector"),
    ("job=\"x\"", "in braces"),
])
def test_a_bad_selector_is_reported_at_it(tmp_path: Path, selector: str, says: str) -> None:
    text = SHOP + f"deployment:\n  selector: '{selector}'\n"
    assert where(tmp_path, text) == ["14:13 deployment-selector"]
    assert says in message(tmp_path, text, "deployment-selector")


def test_alerting_job_beside_the_selector_is_one_too_many(tmp_path: Path) -> None:
    text = SHOP + "deployment:\n  selector: '{job=\"shop\"}'\n" + ALERTS.replace(
        "alerting:\n", "alerting:\n  job: shop\n")
    assert where(tmp_path, text) == ["16:8 deployment-selector"]


def test_test_labels_must_match_a_regex_selector(tmp_path: Path) -> None:
    text = SHOP + "deployment:\n  selector: '{job=~\"shop-.*\"}'\n"
    assert where(tmp_path, text) == ["14:13 deployment-test-labels"]
    assert "job='shop'" in message(tmp_path, text, "deployment-test-labels")
    fixed = text + "  test_labels: {job: shop-api}\n"
    assert where(tmp_path, fixed) == []


def test_instance_is_not_a_test_label(tmp_path: Path) -> None:
    text = SHOP + "deployment:\n  test_labels: {instance: x}\n"
    assert where(tmp_path, text) == ["14:17 deployment-test-labels"]


def test_alert_names_start_with_the_services_camel_case_name(tmp_path: Path) -> None:
    assert where(tmp_path, SHOP + ALERTS) == []
    text = SHOP + ALERTS.replace("ShopTargetDown", "JamTargetDown")
    assert "start with 'Shop' (e.g. ShopTargetDown)" in message(tmp_path, text, "alert-name")


def _output(tmp_path: Path, text: str) -> dict[str, str]:
    result = build(str(write_spec(tmp_path, text)))
    assert result.model is not None, result.findings
    return dict(generate_all(result.model))


def test_every_rule_reads_only_the_selected_targets(tmp_path: Path) -> None:
    out = _output(tmp_path, SHOP + ALERTS + "deployment:\n  selector: '{job=~\"shop-.*\", namespace=\"payments\"}'\n"
                                            "  test_labels: {job: shop-api, namespace: payments}\n")
    groups = yaml.safe_load(out["prometheus/shop_alerts.rules.yaml"])["groups"]
    exprs = {r["alert"]: r["expr"] for g in groups for r in g["rules"]}
    assert exprs == {"ShopTargetDown": 'up{job=~"shop-.*", namespace="payments"} == 0',
                     "ShopThingsGone": 'absent(shop_things_total{job=~"shop-.*", namespace="payments"})'}
    test = yaml.safe_load(out["prometheus/tests/ShopTargetDown.test.yaml"])["tests"][-1]
    assert test["input_series"][0]["series"] == 'up{instance="shop-0:8000", job="shop-api", namespace="payments"}'


def test_the_kubernetes_objects_go_where_the_spec_says(tmp_path: Path) -> None:
    placement = """\
deployment:
  prometheus_rule: {namespace: monitoring, labels: {release: kube-prometheus-stack}}
"""
    out = _output(tmp_path, SHOP + ALERTS + placement)
    rule = yaml.safe_load(out["kubernetes/shop-rules.prometheusrule.yaml"])
    assert rule["metadata"]["name"] == "shop-rules" and rule["metadata"]["namespace"] == "monitoring"
    assert rule["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    assert [g["name"] for g in rule["spec"]["groups"]] == ["shop.alerts"]
