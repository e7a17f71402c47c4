"""End to end on a distributed store: a two-cluster fleet on loopback, with Debian's VictoriaMetrics.

Cluster a runs one reference JAM service on the memory store; cluster b runs two replicas of one
deployment on one PostgreSQL database. Each cluster's vmagent scrapes its services every second, adds
cluster="a" or cluster="b" and remote-writes to one VictoriaMetrics. vmalert evaluates the rules
generated from the repository's spec with `fleet.cluster_label: cluster` and short windows
(tests/support/short_windows.py), writes the recorded series back and notifies a real Alertmanager.

Both clusters run the demo's faults (so every panel has data) except process failures; the test then
injects process failures in cluster a only: JamPackageProcessFailureRate fires for cluster a, never b.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SPEC
from fleet_spec import fleet
from pg import PostgresServer
from servers import WebhookReceiver, alertmanager, enter_together, jam_service, wait_until, webhook_receiver
from short_windows import generate_into, shrink
from victoria import VictoriaMetrics, VmAlert, victoria_metrics, vmagent, vmalert

from jamdash.service.faults import PROFILES
from jamdash.service.launch import RunningService

pytestmark = pytest.mark.slow

CLUSTERS = ("a", "b")
FAULT = "process_failures"
ALERT = "JamPackageProcessFailureRate"
# Every panel gets data, and no package fails anywhere. Cluster b's queue is kept near its cap (the
# replicas check); cluster a's is not, so the packages of the fault are processed as soon as they come.
BACKGROUND = {"a": sorted(PROFILES["faulty"] - {FAULT, "pending_high", "slow_processing"}),
              "b": sorted(PROFILES["faulty"] - {FAULT})}
RATE_WINDOW = "1m"  # stands in for $__rate_interval
_VARIABLE = re.compile(r"\$\{?(\w+)\}?")


@dataclass
class Fleet:
    vm: VictoriaMetrics
    vmalert: VmAlert
    webhook: WebhookReceiver
    services: dict[str, list[RunningService]]
    generated: Path


@pytest.fixture(scope="module")
def fleet_stack(tmp_path_factory: pytest.TempPathFactory, pg_cluster: PostgresServer) -> Iterator[Fleet]:
    tmp = tmp_path_factory.mktemp("fleet-e2e")
    generated = generate_into(tmp, fleet(shrink(yaml.safe_load(SPEC.read_text()))))
    rule_files = sorted((generated / "prometheus").glob("*.rules.yaml"))
    dsn = pg_cluster.create_database()
    with ExitStack() as stack:
        hook = stack.enter_context(webhook_receiver())
        # Independent: their start-ups overlap, cluster b's two replicas on one database included.
        am, vm, a, *b = enter_together(stack, [
            alertmanager(tmp, hook.url), victoria_metrics(tmp), jam_service(tmp / "a-0", *BACKGROUND["a"]),
            *(jam_service(tmp / f"b-{i}", *BACKGROUND["b"], store="postgres", dsn=dsn) for i in range(2))])
        services: dict[str, list[RunningService]] = {"a": [a], "b": b}
        enter_together(stack, [vmagent(tmp, cluster, [s.target for s in running], vm.write_url)
                               for cluster, running in services.items()])
        wait_until(lambda: _up(vm) == {"a": 1, "b": 2}, 60, "both clusters' targets to be up in VictoriaMetrics")
        alerts = stack.enter_context(vmalert(tmp, rule_files, vm, am.url))
        yield Fleet(vm, alerts, hook, services, generated)


def _up(vm: VictoriaMetrics) -> dict[str, int]:
    return {s["metric"]["cluster"]: int(float(s["value"][1]))
            for s in vm.query('count by (cluster) (up{job="jam"} == 1)')}


def _records(generated: Path) -> list[str]:
    text = (generated / "prometheus" / "jam_recording.rules.yaml").read_text()
    return [r["record"] for g in yaml.safe_load(text)["groups"] for r in g["rules"]]


def _clusters_of(vm: VictoriaMetrics, expr: str) -> set[str]:
    return {s["metric"].get("cluster", "") for s in vm.query(expr)}


def test_every_recorded_series_exists_per_cluster(fleet_stack: Fleet) -> None:
    records = _records(fleet_stack.generated)
    assert len(records) > 20 and all(r.startswith("cluster_job") for r in records)

    def missing() -> list[str]:
        return [f"{r} (has {sorted(_clusters_of(fleet_stack.vm, r))})" for r in records
                if _clusters_of(fleet_stack.vm, r) != set(CLUSTERS)]
    wait_until(lambda: not missing(), 90, "every recorded series in both clusters")
    broken = [(r["name"], r.get("lastError")) for r in fleet_stack.vmalert.rules() if r.get("lastError")]
    assert not broken, broken


def _firing(vmalert: VmAlert, name: str) -> list[dict[str, Any]]:
    return [a for a in vmalert.alerts() if a["labels"].get("alertname") == name and a["state"] == "firing"]


def test_a_fault_in_cluster_a_fires_for_cluster_a_only(fleet_stack: Fleet) -> None:
    assert not [a for a in fleet_stack.vmalert.alerts() if a["labels"].get("alertname") == ALERT], \
        f"{ALERT} is active before the fault"
    fleet_stack.services["a"][0].set_faults(*BACKGROUND["a"], FAULT)
    firing = wait_until(lambda: _firing(fleet_stack.vmalert, ALERT), 90, f"{ALERT} to fire in cluster a")
    assert {a["labels"]["cluster"] for a in firing} == {"a"}
    delivered = fleet_stack.webhook.wait_for(ALERT, timeout=60)
    assert delivered["labels"]["cluster"] == "a" and delivered["labels"]["job"] == "jam"
    assert delivered["annotations"]["description"].startswith("In cluster a: ")
    # cluster b's failure ratio is evaluated all along, and stays out of the alert
    failures_b = 'cluster_job_store:jam_package_process_fail:rate8s{cluster="b"}'
    ratio = wait_until(lambda: fleet_stack.vm.query(failures_b), 60, "cluster b's recorded failure rate")
    assert all(float(s["value"][1]) == 0 for s in ratio)
    assert not [a for a in fleet_stack.vmalert.alerts() + fleet_stack.webhook.alerts()
                if a["labels"].get("alertname") == ALERT and a["labels"].get("cluster") != "a"]


def test_two_replicas_on_one_database_count_the_pending_queue_once(fleet_stack: Fleet) -> None:
    """Both replicas of cluster b report the database-wide pending count: the pending-cap alert's ratio is
    pending over cap (at most 1), where summing the replicas would give about twice that."""
    expr = 'sum by (cluster, job, store) (jam_package_pending_gauge{cluster="b"}) / on (cluster, job) ' \
           'group_left max by (cluster, job) (jam_config_max_pending_packages{cluster="b"})'
    wait_until(lambda: [s for s in fleet_stack.vm.query(expr) if float(s["value"][1]) > 1.5], 90,
               "cluster b's two replicas to each report a nearly full queue")
    firing = wait_until(lambda: [a for a in _firing(fleet_stack.vmalert, "JamPendingQueueNearCap")
                                 if a["labels"]["cluster"] == "b"], 90, "JamPendingQueueNearCap in cluster b")
    for alert in firing:
        assert 0.8 < float(alert["value"]) <= 1.0, alert


def _substitute(expr: str, values: dict[str, str]) -> str:
    specials = {"__rate_interval": RATE_WINDOW, "__interval": "15s", "__range": "1h"}
    return _VARIABLE.sub(lambda m: specials.get(m.group(1)) or values[m.group(1)], expr)


def _silent(vm: VictoriaMetrics, dashboards: list[dict[str, Any]], cluster: str) -> tuple[list[str], int]:
    silent, checked = [], 0
    for d in dashboards:
        values = {v["name"]: v.get("allValue") or ".+" for v in d["templating"]["list"] if v["type"] == "query"}
        values["cluster"] = cluster
        for panel in d["panels"]:
            for target in panel["targets"]:
                expr = _substitute(target["expr"], values)
                checked += 1
                try:
                    result = vm.query(expr)
                except (ValueError, OSError) as exc:
                    silent.append(f"{d['title']} / {panel['title']}: rejected: {exc}")
                    continue
                if {s["metric"].get("cluster") for s in result} != {cluster} and "vector(" not in expr:
                    silent.append(f"{d['title']} / {panel['title']} ({target['refId']}) returns "
                                  f"{len(result)} series, not cluster {cluster}'s: {expr}")
                elif not result or all(s["value"][1] == "NaN" for s in result):
                    silent.append(f"{d['title']} / {panel['title']} ({target['refId']}) has no data: {expr}")
    return silent, checked


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_every_panel_query_returns_data_for_each_cluster(fleet_stack: Fleet, cluster: str) -> None:
    dashboards = [json.loads(p.read_text()) for p in sorted((fleet_stack.generated / "grafana" / "dashboards").glob("*.json"))]
    assert all(d["templating"]["list"][1]["name"] == "cluster" for d in dashboards)
    state: dict[str, Any] = {}

    def quiet() -> bool:
        state["silent"], state["checked"] = _silent(fleet_stack.vm, dashboards, cluster)
        return not state["silent"]
    try:
        wait_until(quiet, 90, f"every panel to show cluster {cluster}'s data", interval=2)
    except pytest.fail.Exception:
        pytest.fail("panels without data:\n" + "\n".join(state["silent"]))
    assert state["checked"] > 50
