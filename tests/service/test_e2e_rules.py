"""End to end: the generated rules in a real Prometheus, scraping simulated JAM traffic.

Rules come from the repository's spec with windows shrunk to seconds (tests/support/short_windows.py).
The traffic comes from the simulated process (tests/support/traffic_source.py) and from the reference JAM
service (jamdash/service, real requests); both take the same fault names.
Healthy traffic first (at least 10x below every threshold): every group loads and evaluates without
errors, every recorded series exists and no alert is pending or firing at any moment of an observation
window. Then the plan's four faults are injected: each alert fires, the generated Alertmanager configuration
(its receivers pointed at a webhook) routes each severity to its receiver, and the SLO page inhibits the
plain failure-rate alert of the same signal. Both sources' stacks run side by side, so their waits overlap.
Every step waits for a condition, never a fixed time, so a busy machine only makes it slower. Bounded:
about half a minute.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from servers import (
    Alertmanager, Prometheus, TrafficSource, WebhookReceiver, alertmanager, enter_together, generated_config,
    jam_service, loopback_port, prometheus, traffic_source, wait_until, webhook_receiver,
)
from short_windows import short_window_rules

from jamdash.cli import cli

pytestmark = pytest.mark.slow

# The plan's four alerts and the simulated fault that must fire each.
PLAN_ALERTS = {
    "JamPackageProcessFailureRate": "process_failures",
    "JamRateLimitHitsSustained": "rate_limited",
    "JamCleanupFailing": "cleanup_failures",
    "JamPendingQueueNearCap": "pending_high",
}
SETTLE_SCRAPES = 14  # successful: the 8s windows filled, plus the 2s `for:`, plus evaluations (1s apart)
OBSERVE_SECONDS = 5  # how long healthy traffic is watched for a pending or firing alert


@dataclass
class Stack:
    prometheus: Prometheus
    alertmanager: Alertmanager
    webhook: WebhookReceiver
    jam: TrafficSource  # or the reference service's RunningService: the same interface
    records: list[str]
    alerts: list[str]
    healthy_alerts: list[tuple[str, str]]  # (alertname, state) seen under healthy traffic
    healthy_groups: list[dict[str, Any]]  # the rule groups at the end of the healthy observation
    healthy_empty: list[str]  # recorded series without data then
    healthy_check: tuple[int, list[dict[str, Any]]]  # `jamdash check` then: exit code and findings (see stacks)
    spec: Path  # the short-window spec the rules were generated from


SOURCES = {"simulated": traffic_source, "service": jam_service}


@contextmanager
def healthy_stack(source: str, tmp: Path, generated: Path) -> Iterator[Stack]:
    """One source's stack, started and watched under healthy traffic (all but `jamdash check`, see stacks)."""
    port, target = loopback_port()
    with webhook_receiver() as hook, \
            alertmanager(tmp, hook.url, generated_config(generated / "alertmanager" / "jam.yml", hook.url)) as am, \
            prometheus(tmp, targets=[target], rule_files=sorted((generated / "prometheus").glob("*.rules.yaml")),
                       alertmanager=am.address) as prom, \
            SOURCES[source](tmp, port=port) as jam:
        prom.wait_for_scrape()
        rules = [r for g in prom.wait_for_rules() for r in g["rules"]]
        records = [r["name"] for r in rules if r["type"] == "recording"]
        wait_until(lambda: prom.query(f"min(sum_over_time(up{{job='jam'}}[1m])) >= {SETTLE_SCRAPES}"), 90,
                   f"{SETTLE_SCRAPES} scrapes of healthy traffic")
        healthy = []
        deadline = time.monotonic() + OBSERVE_SECONDS
        while time.monotonic() < deadline:
            healthy += [(a["labels"]["alertname"], a["state"]) for a in prom.alerts()]
            time.sleep(0.5)
        yield Stack(prom, am, hook, jam, records, [r["name"] for r in rules if r["type"] == "alerting"],
                    sorted(set(healthy)), prom.rule_groups(), [record for record in records if not prom.query(record)],
                    (-1, []), generated.parent / "metrics_spec.yaml")


@pytest.fixture(scope="module")
def stacks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Stack]]:
    """Both sources' stacks, started side by side so their waits overlap, on one generated rule set.

    What the healthy tests assert is observed here, under healthy traffic, before any fault, whatever
    the tests' order; then the plan's faults are switched on in both stacks at once.
    """
    tmp = tmp_path_factory.mktemp("e2e-rules")
    short_window_rules(tmp)
    with ExitStack() as exits:
        started = dict(zip(SOURCES, enter_together(exits, [healthy_stack(source, tmp / source, tmp / "generated")
                                                            for source in SOURCES])))
        for stack in started.values():  # CliRunner swaps sys.stdout: one check at a time, in this thread
            stack.healthy_check = jamdash_check(stack)
        for stack in started.values():
            stack.jam.set_faults(*PLAN_ALERTS.values())
        yield started


@pytest.fixture(params=sorted(SOURCES))
def stack(request: pytest.FixtureRequest, stacks: dict[str, Stack]) -> Stack:
    return stacks[request.param]


def test_every_group_loads_and_evaluates_without_errors(stack: Stack) -> None:
    groups = stack.healthy_groups
    assert {g["name"] for g in groups} >= {"jam.recording", "jam.alerts"}
    broken = [(r["name"], r.get("lastError")) for g in groups for r in g["rules"]
              if r.get("health") != "ok" or r.get("lastError")]
    assert not broken, broken
    assert set(PLAN_ALERTS) <= set(stack.alerts)


def test_every_recording_rule_produces_series(stack: Stack) -> None:
    assert not stack.healthy_empty, f"recorded series without data: {stack.healthy_empty}"
    assert len(stack.records) > 20


def test_no_alert_is_active_under_healthy_traffic(stack: Stack) -> None:
    assert stack.healthy_alerts == [], "alerts pending or firing under healthy traffic"


def jamdash_check(stack: Stack) -> tuple[int, list[dict[str, Any]]]:
    """`jamdash check` on the target's /metrics and on the Prometheus: exit code and findings."""
    result = CliRunner().invoke(cli, ["check", "--spec", str(stack.spec), "--metrics-url", f"{stack.jam.url}/metrics",
                                      "--prometheus-url", stack.prometheus.url, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_jamdash_check_passes_on_the_target_and_the_prometheus(stack: Stack) -> None:
    """The target exposes what the spec declares; Prometheus holds the generated groups, healthy, and the series."""
    code, found = stack.healthy_check
    assert code == 0 and [f for f in found if f["severity"] != "info"] == []  # an alert may be pending: information


def test_each_plan_alert_fires_on_its_fault_and_reaches_its_receiver(stack: Stack) -> None:
    """The faults were switched on once the healthy traffic had been observed (see stacks)."""
    assert sorted(stack.jam.faults()) == sorted(PLAN_ALERTS.values())
    for alert in PLAN_ALERTS:
        wait_until(lambda: stack.prometheus.alert_state(alert) == "firing", 60, f"{alert} to fire")
    page = stack.webhook.wait_for("JamProcessingSuccessBudgetBurnPage", timeout=60)
    assert page["status"] == "firing" and page["labels"]["severity"] == "critical"
    assert page["annotations"]["runbook_url"].endswith("#jamprocessingsuccessbudgetburnpage")
    assert page["labels"]["job"] == "jam" and page["labels"]["long_window"]
    ticket = stack.webhook.wait_for("JamRateLimitHitsSustained", timeout=60)
    assert ticket["labels"]["severity"] == "warning"
    assert stack.webhook.receivers_of("JamProcessingSuccessBudgetBurnPage") == {"jam-page"}
    assert stack.webhook.receivers_of("JamRateLimitHitsSustained") == {"jam-ticket"}
    code, found = jamdash_check(stack)  # firing alerts are information, not drift
    assert code == 0 and {f["severity"] for f in found} == {"info"}
    assert set(PLAN_ALERTS) <= {f["message"].split()[0] for f in found if f["rule"] == "live-alert-active"}


def test_the_slo_page_inhibits_the_failure_rate_alert_of_the_same_signal(stack: Stack) -> None:
    wait_until(lambda: stack.alertmanager.state("JamProcessingSuccessBudgetBurnPage") == "active", 60,
               "the SLO page to be active in Alertmanager")
    wait_until(lambda: stack.alertmanager.state("JamPackageProcessFailureRate") == "suppressed", 60,
               "JamPackageProcessFailureRate to be suppressed")
    for alert in stack.alertmanager.alerts("JamPackageProcessFailureRate"):
        assert alert["status"]["inhibitedBy"], alert
