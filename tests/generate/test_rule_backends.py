"""The rules in each backend's format: vmalert -dryRun loads what vmalert loads (the Prometheus files,
a VMRule's groups, Thanos' and the rulers' groups); the rest is checked against the documented formats."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SPEC, require_tool
from fleet_spec import fleet

from jamdash.generate import generate_all
from jamdash.pipeline import build

pytestmark = pytest.mark.slow

BACKENDS = ["prometheus", "thanos", "mimir", "cortex", "victoriametrics"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The fleet variant of the repository's spec with every backend, generated in memory and parsed."""
    data = fleet(yaml.safe_load(SPEC.read_text()), backends=BACKENDS, namespace="jam-prod",
                 partial_response_strategy="warn")
    spec = tmp_path_factory.mktemp("fleet") / "metrics_spec.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False))
    result = build(str(spec))
    assert result.model is not None, result.findings
    return {path: yaml.safe_load(text) for path, text in generate_all(result.model).items()
            if path.endswith(".yaml")}


def vmalert_loads(tmp: Path, name: str, groups: list[dict[str, Any]]) -> None:
    """vmalert -dryRun parses every group and expression, and rejects unknown fields."""
    path = tmp / f"{name}.rules.yaml"
    path.write_text(yaml.safe_dump({"groups": groups}, sort_keys=False))
    vmalert_dry_run([path], name)


def vmalert_dry_run(paths: list[Path], name: str) -> None:
    done = subprocess.run([require_tool("vmalert"), "-dryRun", *(f"-rule={p}" for p in paths)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, f"vmalert rejects {name}:\n{done.stdout}{done.stderr}"


def promtool_loads(tmp: Path, name: str, groups: list[dict[str, Any]]) -> None:
    path = tmp / f"{name}.promtool.yaml"
    path.write_text(yaml.safe_dump({"groups": groups}, sort_keys=False))
    done = subprocess.run([require_tool("promtool"), "check", "rules", str(path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, f"promtool rejects {name}:\n{done.stdout}{done.stderr}"


def test_vmalert_loads_the_prometheus_rule_files(files: dict[str, Any], tmp_path: Path) -> None:
    """As vmalert is deployed: -rule= each file of generated/prometheus/."""
    paths = []
    for name in (p for p in files if p.startswith("prometheus/") and p.endswith(".rules.yaml")):
        paths.append(tmp_path / Path(name).name)
        paths[-1].write_text(yaml.safe_dump(files[name], sort_keys=False))
    assert len(paths) >= 2
    vmalert_dry_run(paths, "generated/prometheus")


def test_vmalert_rejects_what_it_does_not_know(tmp_path: Path) -> None:
    """The validator has teeth: an unknown group field (Thanos' extension) fails -dryRun."""
    with pytest.raises(AssertionError, match="partial_response_strategy"):
        vmalert_loads(tmp_path, "thanos-as-is", [{"name": "g", "partial_response_strategy": "warn",
                                                  "rules": [{"record": "job:up:sum", "expr": "sum by (job) (up)"}]}])


def test_thanos_groups_carry_the_partial_response_strategy(files: dict[str, Any], tmp_path: Path) -> None:
    """Thanos Ruler's file is Prometheus' format plus partial_response_strategy (warn|abort) on each group."""
    thanos = files["thanos/jam.rules.yaml"]
    assert set(thanos) == {"groups"}
    assert [g["partial_response_strategy"] for g in thanos["groups"]] == ["warn"] * len(thanos["groups"])
    plain = [{k: v for k, v in g.items() if k != "partial_response_strategy"} for g in thanos["groups"]]
    assert plain == files["kubernetes/jam-rules.prometheusrule.yaml"]["spec"]["groups"]
    vmalert_loads(tmp_path, "thanos", plain)
    promtool_loads(tmp_path, "thanos", plain)


@pytest.mark.parametrize("backend", ["mimir", "cortex"])
def test_ruler_files_are_one_namespace_each(files: dict[str, Any], backend: str, tmp_path: Path) -> None:
    """mimirtool/cortextool `rules load` read a file with a top-level namespace and Prometheus' groups."""
    ruler = files[f"{backend}/jam-prod.rules.yaml"]
    assert list(ruler) == ["namespace", "groups"]
    assert ruler["namespace"] == "jam-prod"
    names = [g["name"] for g in ruler["groups"]]
    assert len(names) == len(set(names)), "group names are unique within a namespace"
    vmalert_loads(tmp_path, backend, ruler["groups"])
    promtool_loads(tmp_path, backend, ruler["groups"])


def test_vmrule_sits_next_to_the_prometheusrule(files: dict[str, Any], tmp_path: Path) -> None:
    """The VictoriaMetrics operator's VMRule (operator.victoriametrics.com/v1beta1): metadata and spec.groups
    as the PrometheusRule's; the operator hands the groups to vmalert, so vmalert must load them."""
    vmrule, prometheus_rule = files["kubernetes/jam-rules.vmrule.yaml"], files["kubernetes/jam-rules.prometheusrule.yaml"]
    assert (vmrule["apiVersion"], vmrule["kind"]) == ("operator.victoriametrics.com/v1beta1", "VMRule")
    assert set(vmrule) == {"apiVersion", "kind", "metadata", "spec"}
    assert vmrule["metadata"] == prometheus_rule["metadata"]
    assert set(vmrule["spec"]) == {"groups"}
    assert vmrule["spec"]["groups"] == prometheus_rule["spec"]["groups"]
    vmalert_loads(tmp_path, "vmrule", vmrule["spec"]["groups"])


def test_backends_are_written_only_when_chosen() -> None:
    """Without fleet.backends (the repository's spec), only the Prometheus files and the PrometheusRule."""
    result = build(str(SPEC))
    assert result.model is not None
    paths = generate_all(result.model)
    assert not [p for p in paths if p.startswith(("thanos/", "mimir/", "cortex/")) or p.endswith(".vmrule.yaml")]
