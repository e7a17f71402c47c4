"""Two services side by side: JAM's output and the shop example's load together with no name in common.

One real Prometheus loads both rule sets from one folder while it scrapes a JAM traffic source; the
two Grafana and Kubernetes trees are compared name by name.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import GENERATED, ROOT
from servers import loopback_port, prometheus, traffic_source, wait_until

SHOP = ROOT / "examples" / "shop" / "generated"
SHARED = {"grafana/provisioning/datasources/prometheus.yaml"}  # the one Prometheus, provisioned once


def files(tree: Path) -> set[str]:
    return {p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()}


def test_no_file_is_written_by_both_but_the_shared_data_source() -> None:
    jam, shop = files(GENERATED), files(SHOP)
    both = jam & shop - {"README.md", "schema/metrics_spec.schema.json", "docs/metrics.md", "docs/runbooks.md"}
    assert both == SHARED
    for path in SHARED:
        assert (GENERATED / path).read_bytes() == (SHOP / path).read_bytes(), f"{path} differs between the services"


def _dashboards(tree: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((tree / "grafana" / "dashboards").glob("*.json"))]


def test_one_grafana_holds_both_sets_of_dashboards() -> None:
    jam, shop = _dashboards(GENERATED), _dashboards(SHOP)
    assert {d["uid"] for d in jam}.isdisjoint({d["uid"] for d in shop})
    assert {t for d in jam for t in d["tags"]} == {"jam"} and {t for d in shop for t in d["tags"]} == {"shop"}
    providers = [yaml.safe_load((tree / "grafana" / "provisioning" / "dashboards" / f"{name}.yaml").read_text())
                 ["providers"][0] for tree, name in ((GENERATED, "jam"), (SHOP, "shop"))]
    assert providers[0]["name"] != providers[1]["name"]
    assert providers[0]["options"]["path"] != providers[1]["options"]["path"]
    assert (providers[0]["folder"], providers[1]["folder"]) == ("JAM", "Shop")


def _objects(tree: Path) -> list[tuple[str, str, str | None]]:
    out = []
    for path in sorted((tree / "kubernetes").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((doc["kind"], doc["metadata"]["name"], doc["metadata"].get("namespace")))
    return out


def test_one_namespace_holds_both_sets_of_objects() -> None:
    jam, shop = _objects(GENERATED), _objects(SHOP)
    names = Counter((kind, name) for kind, name, _ in jam + shop)
    assert [k for k, n in names.items() if n > 1] == []
    # the shop's spec places its objects in monitoring; JAM's leaves the namespace to kubectl apply -n
    assert {ns for _, _, ns in shop} == {"monitoring"} and {ns for _, _, ns in jam} == {None}


@pytest.mark.slow
def test_one_prometheus_loads_both_rule_sets_and_each_reads_only_its_own_targets(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    for tree in (GENERATED, SHOP):
        for path in sorted((tree / "prometheus").glob("*.rules.yaml")):
            assert not (rules / path.name).exists(), f"{path.name} is written by both services"
            shutil.copy(path, rules / path.name)
    port, target = loopback_port()
    with prometheus(tmp_path, targets=[target], rule_files=sorted(rules.glob("*.yaml"))) as prom, \
            traffic_source(tmp_path, port=port):
        prom.wait_for_scrape(timeout=60)
        groups = prom.wait_for_rules(timeout=60)
        group_names = [g["name"] for g in groups]
        assert len(group_names) == len(set(group_names)), Counter(group_names).most_common(3)
        assert {"jam.recording", "jam.alerts", "shop.recording", "shop.alerts"} <= set(group_names)
        rules_by_kind: dict[str, list[str]] = {"alerting": [], "recording": []}
        for group in groups:
            for rule in group["rules"]:
                rules_by_kind[rule["type"]].append(rule["name"])
        recorded_names = rules_by_kind["recording"]
        assert len(recorded_names) == len(set(recorded_names)), Counter(recorded_names).most_common(3)
        # a multi-window SLO alert is one rule per window pair under one name; no name is both services'
        assert {a for a in rules_by_kind["alerting"] if a.startswith("Jam")} & \
            {a for a in rules_by_kind["alerting"] if not a.startswith("Jam")} == set()
        alerts = rules_by_kind["alerting"]
        assert all(a.startswith(("Jam", "Shop")) for a in alerts)
        assert "JamProcessingSuccessBudgetBurnPage" in alerts and "ShopFulfilmentBudgetBurnPage" in alerts
        recorded = set(rules_by_kind["recording"])
        assert {r.split(":")[1].split("_", 1)[0] for r in recorded} == {"jam", "shop"}
        # JAM's rules record from the JAM target; the shop's selector ({job=~"shop-.*", ...}) keeps it out
        wait_until(lambda: prom.query("job_endpoint_code_class:jam_http_requests:rate5m"), 60,
                   "JAM's recorded request rate")
        assert prom.query("job_route_code_class:shop_http_requests:rate5m") == []
        assert prom.query('ALERTS{alertname="ShopTargetDown"}') == []
