"""With fleet.cluster_label, every rule and dashboard query of the repository's spec keeps the label."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import SPEC
from fleet_spec import fleet

from jamdash.model import Model
from jamdash.pipeline import build
from jamdash.promql import walk
from jamdash.promql.fleet import dropping


@pytest.fixture(scope="module")
def fleet_model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    spec = tmp_path_factory.mktemp("fleet") / "metrics_spec.yaml"
    spec.write_text(yaml.safe_dump(fleet(yaml.safe_load(SPEC.read_text()), "k8s_cluster"), sort_keys=False))
    result = build(str(spec))
    assert result.model is not None, result.findings
    return result.model


def test_every_rule_keeps_the_cluster_label(fleet_model: Model) -> None:
    rules = fleet_model.rules
    exprs = [r.expr for r in rules.recording] + [a.expr for a in rules.alerts]
    assert len(exprs) > 60
    assert {e: list(dropping(e, "k8s_cluster")) for e in exprs if list(dropping(e, "k8s_cluster"))} == {}
    assert all(r.record.startswith("k8s_cluster_job") and r.labels[:2] == ("k8s_cluster", "job")
               for r in rules.recording)


def test_alert_descriptions_name_the_cluster(fleet_model: Model) -> None:
    for alert in fleet_model.rules.alerts:
        description = alert.annotation_dict["description"]
        if alert.intent.kind == "absent":  # fleet-wide: no cluster's series is left to name
            assert "k8s_cluster" not in description
        else:
            assert description.startswith("In cluster {{ $labels.k8s_cluster }}: "), alert.name


def test_every_dashboard_query_filters_by_cluster_and_keeps_it(fleet_model: Model) -> None:
    dashboards = fleet_model.dashboards
    assert dashboards is not None
    assert [v.name for v in dashboards.variables][:3] == ["cluster", "job", "instance"]
    assert dashboards.variables[0].query == 'label_values(jam_config_max_pending_packages{job="jam"}, k8s_cluster)'
    assert all('k8s_cluster=~"$cluster"' in v.query for v in dashboards.variables[1:])
    checked = 0
    for board in dashboards.boards:
        for panel in board.panels:
            for target in panel.targets:
                if target.expr.startswith("vector("):
                    continue
                node = walk.parse(target.expr)
                for selector, _ in walk.selectors(node):
                    assert any(m.name == "k8s_cluster" and m.value == "$cluster" for m in selector.matchers.matchers), \
                        f"{board.title} / {panel.title}: {target.expr}"
                assert list(dropping(target.expr, "k8s_cluster")) == [], f"{board.title} / {panel.title}"
                if target.format != "heatmap" and not target.reference_color:  # buckets and lines: no legend
                    assert "{{k8s_cluster}}" in target.legend, target.legend
                checked += 1
    assert checked > 50


def test_the_pending_cap_alert_divides_like_by_like(fleet_model: Model) -> None:
    alert = next(a for a in fleet_model.rules.alerts if a.name == "JamPendingQueueNearCap")
    assert alert.expr == ('max by (k8s_cluster, job, store) (jam_package_pending_gauge{job="jam"}) / on (k8s_cluster, job) '
                          'group_left max by (k8s_cluster, job) (jam_config_max_pending_packages{job="jam"}) > 0.8')


def test_without_fleet_nothing_names_a_cluster(model: Model) -> None:
    texts = [r.expr for r in model.rules.recording] + [a.expr for a in model.rules.alerts]
    assert model.dashboards is not None
    texts += [t.expr for b in model.dashboards.boards for p in b.panels for t in p.targets]
    assert not [t for t in texts if re.search(r"cluster", t)]
    assert model.fleet.backends == ("prometheus",)

