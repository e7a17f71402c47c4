"""The generated Alertmanager side: amtool accepts the configuration, routes each severity to the receiver
the spec names, and the inhibit rules and the AlertmanagerConfig object say what the spec's alerts need."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import GENERATED, require_tool
from speckit import write_spec

from jamdash.generate import generate_all
from jamdash.model import Model
from jamdash.pipeline import build

CONFIG = GENERATED / "alertmanager" / "jam.yml"
OBJECT = GENERATED / "kubernetes" / "jam.alertmanagerconfig.yaml"


def amtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_tool("amtool"), *args], capture_output=True, text=True, timeout=60)


def route(config: Path, **labels: str) -> str:
    result = amtool("config", "routes", "test", f"--config.file={config}", *(f"{k}={v}" for k, v in labels.items()))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_amtool_accepts_the_generated_configuration() -> None:
    result = amtool("check-config", str(CONFIG))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 inhibit rules" in result.stdout


def test_each_severity_reaches_the_receiver_the_spec_names(model: Model) -> None:
    assert model.rules.routing
    assert dict(model.rules.routing.receivers) == {"critical": "jam-page", "warning": "jam-ticket", "info": "jam-none"}
    for alert in {a.name: a for a in model.rules.alerts}.values():
        expected = {"critical": "jam-page", "warning": "jam-ticket"}[alert.severity]
        assert route(CONFIG, alertname=alert.name, job="jam", severity=alert.severity) == expected, alert.name
    assert route(CONFIG, alertname="JamSomething", job="jam", severity="info") == "jam-none"
    assert route(CONFIG, alertname="OtherTeamAlert", job="other", severity="critical") == "jam-none"


def test_down_and_absent_targets_and_the_slo_page_inhibit_what_they_explain() -> None:
    rules = yaml.safe_load(CONFIG.read_text())["inhibit_rules"]
    by_source = {next(m for m in r["source_matchers"] if m.startswith("alertname=")): r for r in rules}
    assert by_source['alertname="JamTargetDown"']["target_matchers"] == ['job="jam"', 'alertname!="JamTargetDown"']
    assert by_source['alertname="JamMetricsAbsent"']["target_matchers"] == [
        'job="jam"', 'alertname!~"JamMetricsAbsent|JamTargetDown"']
    page = by_source['alertname="JamProcessingSuccessBudgetBurnPage"']
    assert page["target_matchers"] == [
        'job="jam"', 'alertname=~"JamPackageProcessFailureRate|JamProcessingSuccessBudgetBurnTicket"']
    assert all(r["equal"] == ["job"] for r in rules)


def test_the_alertmanagerconfig_object_holds_the_same_routes_and_receivers() -> None:
    config = yaml.safe_load(CONFIG.read_text())
    resource = yaml.safe_load(OBJECT.read_text())
    assert (resource["apiVersion"], resource["kind"]) == ("monitoring.coreos.com/v1alpha1", "AlertmanagerConfig")
    spec = resource["spec"]
    assert spec["route"]["matchers"] == [{"name": "job", "value": "jam", "matchType": "="}]
    assert spec["route"]["groupBy"] == config["route"]["routes"][0]["group_by"]
    assert [(r["matchers"][0]["value"], r["receiver"]) for r in spec["route"]["routes"]] == [
        ("critical", "jam-page"), ("warning", "jam-ticket"), ("info", "jam-none")]
    names = {r["name"] for r in spec["receivers"]}
    assert names == {r["name"] for r in config["receivers"]}
    assert {r["receiver"] for r in spec["route"]["routes"]} <= names
    assert len(spec["inhibitRules"]) == len(config["inhibit_rules"])


SPEC = """\
version: 1
service: shop
max_series: 100
labels:
  store: {help: The store., values: [memory, postgres]}
metrics:
  shop_orders_total: {type: counter, help: Orders., labels: [store]}
alerting:
  job: shop
  runbook_url: https://example.org/runbooks#{anchor}
%s
alerts:
  ShopOrdersStopped:
    severity: info
    for: 5m
    summary: No orders.
    description: No orders for job {{ $labels.job }}.
    absent: {metric: shop_orders_total}
"""


@pytest.mark.parametrize(("receivers", "expected"), [
    ("", {"critical": "shop-page", "warning": "shop-ticket", "info": "shop-none"}),
    ("  receivers: {critical: oncall, info: chat}", {"critical": "oncall", "warning": "shop-none", "info": "chat"}),
])
def test_receivers_default_per_service_and_a_severity_without_one_notifies_nobody(
        tmp_path: Path, receivers: str, expected: dict[str, str]) -> None:
    result = build(str(write_spec(tmp_path, SPEC % receivers)))
    assert result.model is not None, result.findings
    files = generate_all(result.model)
    config = tmp_path / "shop.yml"
    config.write_text(files["alertmanager/shop.yml"])
    assert amtool("check-config", str(config)).returncode == 0
    for severity, receiver in expected.items():
        assert route(config, job="shop", severity=severity, alertname="ShopOrdersStopped") == receiver
    assert "kubernetes/shop.alertmanagerconfig.yaml" in files


@pytest.mark.slow
def test_a_real_alertmanager_suppresses_what_a_down_or_absent_target_explains(tmp_path: Path) -> None:
    from servers import alertmanager, generated_config, wait_until, webhook_receiver

    with webhook_receiver() as hook, alertmanager(tmp_path, hook.url, generated_config(CONFIG, hook.url)) as am:
        down = {"alertname": "JamTargetDown", "job": "jam", "instance": "jam-0:8000", "severity": "critical"}
        absent = {"alertname": "JamMetricsAbsent", "job": "jam", "severity": "critical"}
        failing = {"alertname": "JamCleanupFailing", "job": "jam", "store": "memory", "severity": "warning"}
        elsewhere = {"alertname": "JamCleanupFailing", "job": "other", "store": "memory", "severity": "warning"}
        am.post(down, absent, failing, elsewhere)
        wait_until(lambda: am.state("JamMetricsAbsent") == "suppressed", 30, "JamMetricsAbsent to be suppressed")
        assert am.state("JamTargetDown") == "active"
        cleanup = {a["labels"]["job"]: a["status"] for a in am.alerts("JamCleanupFailing")}
        assert cleanup["jam"]["state"] == "suppressed" and cleanup["jam"]["inhibitedBy"]
        assert cleanup["other"]["state"] != "suppressed"  # another job's alert is not this target's
        assert hook.wait_for("JamTargetDown", timeout=30)["labels"]["instance"] == "jam-0:8000"
        assert hook.receivers_of("JamTargetDown") == {"jam-page"}


def test_with_a_fleet_routes_group_and_inhibit_per_cluster(tmp_path: Path) -> None:
    result = build(str(Path(__file__).parent.parent / "golden" / "rules" / "fleet" / "metrics_spec.yaml"))
    assert result.model is not None and result.model.rules.routing, result.findings
    config = tmp_path / "alertmanager.yml"
    config.write_text(generate_all(result.model)[f"alertmanager/{result.model.service}.yml"])
    assert amtool("check-config", str(config)).returncode == 0
    generated = yaml.safe_load(config.read_text())
    assert generated["route"]["routes"][0]["group_by"] == ["alertname", "cluster", "job"]
    assert generated["inhibit_rules"] and all(r["equal"][:2] == ["job", "cluster"] for r in generated["inhibit_rules"])
