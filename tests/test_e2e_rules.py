"""End to end: the generated rules in a real Prometheus, scraping simulated JAM traffic.

Rules come from the repository's spec with windows shrunk to seconds (tests/short_windows.py).
Healthy traffic first: every group loads and evaluates without errors, every recorded series
exists and no alert is active. Then the plan's four faults are injected: each alert fires,
and a firing alert reaches a webhook receiver through Alertmanager. Bounded: about 40 s.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from servers import (
    Alertmanager, Prometheus, TrafficSource, WebhookReceiver, alertmanager, prometheus, traffic_source, wait_until,
    webhook_receiver,
)
from short_windows import short_window_rules

pytestmark = pytest.mark.slow

# The plan's four alerts and the simulated fault that must fire each.
PLAN_ALERTS = {
    "JamPackageProcessFailureRate": "process_failures",
    "JamRateLimitHitsSustained": "rate_limited",
    "JamCleanupFailing": "cleanup_failures",
    "JamPendingQueueNearCap": "pending_high",
}
SETTLE_SECONDS = 12  # the 8s windows filled, plus the 2s `for:`, plus an evaluation


@dataclass
class Stack:
    prometheus: Prometheus
    alertmanager: Alertmanager
    webhook: WebhookReceiver
    jam: TrafficSource
    records: list[str]
    alerts: list[str]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("e2e-rules")
    rule_files = short_window_rules(tmp)
    with webhook_receiver() as hook, alertmanager(tmp, hook.url) as am, traffic_source(tmp) as jam, \
            prometheus(tmp, targets=[jam.target], rule_files=rule_files, alertmanager=am.address) as prom:
        prom.wait_for_scrape()
        groups = prom.wait_for_rules()
        rules = [r for g in groups for r in g["rules"]]
        time.sleep(SETTLE_SECONDS)
        yield Stack(prom, am, hook, jam, [r["name"] for r in rules if r["type"] == "recording"],
                    [r["name"] for r in rules if r["type"] == "alerting"])


def test_every_group_loads_and_evaluates_without_errors(stack: Stack) -> None:
    groups = stack.prometheus.rule_groups()
    assert {g["name"] for g in groups} >= {"jam.recording", "jam.alerts"}
    broken = [(r["name"], r.get("lastError")) for g in groups for r in g["rules"]
              if r.get("health") != "ok" or r.get("lastError")]
    assert not broken, broken
    assert set(PLAN_ALERTS) <= set(stack.alerts)


def test_every_recording_rule_produces_series(stack: Stack) -> None:
    empty = [record for record in stack.records if not stack.prometheus.query(record)]
    assert not empty, f"recorded series without data: {empty}"
    assert len(stack.records) > 20


def test_no_alert_is_active_under_healthy_traffic(stack: Stack) -> None:
    for _ in range(3):
        active = [(a["labels"]["alertname"], a["state"]) for a in stack.prometheus.alerts()]
        assert not active, f"alerts active under healthy traffic: {active}"
        time.sleep(1)


def test_each_plan_alert_fires_on_its_fault_and_reaches_the_webhook(stack: Stack) -> None:
    """Runs after the healthy checks (pytest keeps file order); it leaves the faults on."""
    stack.jam.set_faults(*PLAN_ALERTS.values())
    for alert in PLAN_ALERTS:
        wait_until(lambda: stack.prometheus.alert_state(alert) == "firing", 40, f"{alert} to fire")
    delivered = stack.webhook.wait_for("JamPackageProcessFailureRate", timeout=30)
    assert delivered["status"] == "firing"
    assert delivered["labels"]["severity"] == "critical"
    assert delivered["annotations"]["runbook_url"].endswith("#jampackageprocessfailurerate")
    assert "store" in delivered["labels"] and delivered["labels"]["job"] == "jam"
