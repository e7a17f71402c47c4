"""`jamdash check --prometheus-url` against a real Prometheus: loaded rule groups, rule health, series and budgets.

The target is the generated metrics module on a fresh registry, served from a loopback HTTP server;
Prometheus loads the repository's generated rule files, or copies of them with drift put in.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import choose_encoder

from conftest import GENERATED, SPEC
from exposition_text import after_type, drop
from jamdash.cli import cli
from jamdash.live.conformance import exported
from jamdash.model import Model
from servers import Answer, Prometheus, enter_together, http_stub, prometheus, wait_until

pytestmark = pytest.mark.slow

RULE_FILES = sorted((GENERATED / "prometheus").glob("*.rules.yaml"))
REMOVED_GROUP = "jam.slo.processingsuccess"
REMOVED_RECORD = "job:jam_package_process:rate5m"  # alerts read it
CHANGED_ALERT = "JamCleanupFailing"
# Dropping __name__ leaves two series with the same labels: the rule fails at every evaluation.
BROKEN = {"record": "jam:broken", "expr": '{__name__=~"jam_reports_total|jam_attestations_total"} * 0'}


def drifted_rules(tmp: Path) -> list[Path]:
    """The generated rule files with a group removed, a rule removed, an alert changed and a failing rule
    added, plus a group of the service the spec does not generate."""
    out = tmp / "rules"
    out.mkdir()
    paths = []
    for path in RULE_FILES:
        data = yaml.safe_load(path.read_text())
        groups = [g for g in data["groups"] if g["name"] != REMOVED_GROUP]
        for group in groups:
            group["rules"] = [r for r in group["rules"] if r.get("record") != REMOVED_RECORD]
            for rule in group["rules"]:
                if rule.get("alert") == CHANGED_ALERT:
                    rule["for"] = "1h"
            if group["name"] == "jam.recording":
                group["rules"].append(BROKEN)
        paths.append(out / path.name)
        paths[-1].write_text(yaml.safe_dump({"groups": groups}))
    paths.append(out / "old.rules.yaml")
    old = {"name": "jam.old", "rules": [{"record": "jam:old", "expr": "vector(1)"}]}
    paths[-1].write_text(yaml.safe_dump({"groups": [old]}))
    return paths


def over_budget_text(registry: CollectorRegistry) -> str:
    """The registry's exposition without jam_reports_total, and with 64 jam_package_submit_total series
    (budget 3 x 17)."""
    text = drop(generate_latest(registry).decode(), "jam_reports_total", "jam_reports_created")
    return after_type(text, "jam_package_submit_total", *(
        f'jam_package_submit_total{{service_id="svc-{i}",store="{store}"}} 1'
        for store in ("memory", "postgres", "other", "sqlite") for i in range(16)))


@dataclass
class Servers:
    conforming: Prometheus  # the generated rules, scraping the registry
    drifted: Prometheus  # drifted_rules(), scraping the registry
    over_budget: Prometheus  # no rules, scraping over_budget_text()
    over_budget_target: str


@pytest.fixture(scope="module")
def registry() -> Iterator[CollectorRegistry]:
    """The generated metrics on a fresh registry, one series of the bounded label (service_id) used: the
    jam_registry fixture's, kept for the module (the Prometheus servers scrape it all along)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(GENERATED / "python"))
        patch.setattr(sys, "dont_write_bytecode", True)  # generated/ must hold only generated files
        for name in [m for m in sys.modules if m.startswith("jam_")]:
            patch.delitem(sys.modules, name)
        metrics = importlib.import_module("jam_metrics").JamMetrics.fresh()
        metrics.jam_package_submit_total["memory", "svc-1"].inc()
        yield metrics.registry


@pytest.fixture(scope="module")
def servers(registry: CollectorRegistry, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """The three Prometheus servers the tests read, started side by side: each waits about 5s for its
    first scrape (Prometheus passes new targets on every 5s), so together they wait once."""
    def negotiate(headers: dict[str, str]) -> Answer:  # the format the scraper asks for
        encoder, content_type = choose_encoder(headers.get("accept", ""))
        return 200, content_type, encoder(registry)

    tmp = tmp_path_factory.mktemp("check-prometheus")
    text = over_budget_text(registry).encode()
    with ExitStack() as exits:
        served = exits.enter_context(http_stub(negotiate))
        drifting = exits.enter_context(http_stub(lambda _: (200, "text/plain; version=0.0.4", text)))
        proms = enter_together(exits, [
            prometheus(tmp / "conforming", targets=[served.target], rule_files=RULE_FILES),
            prometheus(tmp / "drifted", targets=[served.target], rule_files=drifted_rules(tmp)),
            prometheus(tmp / "over-budget", targets=[drifting.target])])
        yield Servers(*proms, drifting.target)


def check(prom: Prometheus, *args: str) -> tuple[int, list[dict[str, Any]], str]:
    result = CliRunner().invoke(cli, ["check", "--spec", str(SPEC), "--prometheus-url", prom.url, "--format", "json",
                                      *args])
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout or "[]"), result.stderr


def errors(found: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["message"]) for f in found if f["severity"] == "error")


def test_the_generated_rules_and_a_conforming_target_pass(servers: Servers, model: Model) -> None:
    prom = servers.conforming
    prom.wait_for_scrape()
    prom.wait_for_rules()
    wait_until(lambda: check(prom)[0] == 0, 30, "jamdash check to pass once every rule has run twice")
    code, found, err = check(prom)
    elsewhere = check(prom, "--selector", 'cluster="eu1"')  # series of another cluster: there are none
    assert code == 0 and errors(found) == []
    assert "largest per target: jam_package_stage_duration_seconds: 45 series" in err  # 3 stages x 15
    absent = [f["message"] for f in elsewhere[1] if f["rule"] == "live-series-absent"]
    assert elsewhere[0] == 1 and len(absent) == len(exported(model))
    assert 'jam_attestations_total has no series for {job="jam", cluster="eu1"}: the service' in "\n".join(absent)


def test_drifted_rules_are_reported_at_their_place_in_the_spec(servers: Servers, model: Model) -> None:
    # the removed series, and the ratio recorded from it
    unrecorded = sorted({REMOVED_RECORD} | {r.record for r in model.rules.recording if REMOVED_RECORD in r.expr})
    assert len(unrecorded) == 2
    prom = servers.drifted
    prom.wait_for_scrape()
    prom.wait_for_rules()
    def settled() -> bool:  # the failing rule evaluated, every recorded series but those that cannot be there
        found = check(prom)[1]
        absent = [f for f in found if f["rule"] == "live-recorded-absent"]
        return len(absent) == len(unrecorded) and any(f["rule"] == "live-rule-unhealthy" for f in found)
    wait_until(settled, 30, "every rule to have been evaluated with the scraped series")
    code, found, _ = check(prom)
    assert code == 1
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for f in found:
        by_rule.setdefault(f["rule"], []).append(f)
    assert sorted(by_rule) == ["live-group-missing", "live-group-stale", "live-recorded-absent", "live-rule-changed",
                               "live-rule-missing", "live-rule-undeclared", "live-rule-unhealthy"]
    [missing] = by_rule["live-group-missing"]
    assert f"rule group {REMOVED_GROUP}" in missing["message"]
    slo_alert = next(a for a in model.rules.alerts if a.group == REMOVED_GROUP)
    assert (missing["line"], missing["column"]) == tuple(slo_alert.position)
    [stale] = by_rule["live-group-stale"]
    assert "rule group jam.old (" in stale["message"] and "old.rules.yaml" in stale["message"]
    [changed] = by_rule["live-rule-changed"]
    alert = next(a for a in model.rules.alerts if a.name == CHANGED_ALERT)
    assert (changed["line"], changed["column"]) == tuple(alert.position)
    assert "for: loaded 3600s, generated" in changed["message"]
    [removed] = by_rule["live-rule-missing"]
    record = next(r for r in model.rules.recording if r.record == REMOVED_RECORD)
    assert (removed["line"], removed["column"]) == tuple(record.position) and REMOVED_RECORD in removed["message"]
    assert [f["message"].split(" has no")[0] for f in by_rule["live-recorded-absent"]] == \
        [f"recorded series {name}" for name in unrecorded]
    [extra] = by_rule["live-rule-undeclared"]
    assert "recording rule jam:broken is in the loaded group jam.recording" in extra["message"]
    [broken] = by_rule["live-rule-unhealthy"]
    assert "recording rule jam:broken in group jam.recording fails to evaluate: " in broken["message"]
    assert "same labelset" in broken["message"]


def test_missing_series_and_series_over_budget(servers: Servers, model: Model) -> None:
    """A target without jam_reports_total, and with 64 jam_package_submit_total series (see over_budget_text)."""
    prom = servers.over_budget
    prom.wait_for_scrape()
    code, found, err = check(prom)
    assert code == 1
    series = [f for f in found if f["rule"] in ("live-series-absent", "live-series-budget")]
    reports, submit = model.metric("jam_reports_total"), model.metric("jam_package_submit_total")
    assert [(f["rule"], f["line"], f["column"]) for f in series] == [
        ("live-series-budget", *submit.position), ("live-series-absent", *reports.position)]
    assert series[0]["message"].startswith(
        f"jam_package_submit_total has 64 series on instance {servers.over_budget_target}, over its budget of 51")
    assert series[1]["message"].startswith('jam_reports_total has no series for {job="jam"}')
    assert "largest per target: jam_package_submit_total: 64 series" in err
    # no rule file is loaded: every generated group is missing
    assert {f["rule"] for f in found} - {"live-series-absent", "live-series-budget"} == \
        {"live-group-missing", "live-recorded-absent"}


def test_an_unreachable_prometheus_exits_2(tmp_path: Path) -> None:
    with http_stub(lambda _: (200, "text/html", b"<html>not an API</html>")) as stub:
        result = CliRunner().invoke(cli, ["check", "--prometheus-url", stub.url])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"error: {stub.url}/api/v1/rules: the answer is not JSON; is this a Prometheus API URL?\n"
