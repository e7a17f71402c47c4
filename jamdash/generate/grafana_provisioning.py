"""Generator of Grafana provisioning files and of one sidecar-labelled Kubernetes ConfigMap per dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from jamdash import conventions
from jamdash.generate import grafana
from jamdash.generate.header import commented
from jamdash.model import Model

DASHBOARDS_PROVIDER = "grafana/provisioning/dashboards/{service}.yaml"
DATASOURCE = "grafana/provisioning/datasources/prometheus.yaml"  # the one Prometheus, shared by every service
CONFIGMAP = "kubernetes/grafana-dashboard-{uid}.yaml"
PROMETHEUS_URL = "http://prometheus:9090"
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line strings (the dashboard JSON) as literal blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _yaml(data: dict[str, Any]) -> str:
    return str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120))


def _literal_entry(key: str, text: str) -> str | None:
    """`  key: |-` with text indented below: what PyYAML writes for the dashboard JSON, without its
    pure-Python emitter scanning every character (a third of `jamdash generate` on the reference spec).
    None when key or text needs PyYAML's care (quoting, trailing spaces, tabs, a leading space or break)."""
    lines = text.split("\n")
    body, chomp = (lines[:-1], "") if text.endswith("\n") else (lines, "-")
    simple = all(line.isprintable() and line == line.rstrip() for line in body)
    if not (_PLAIN_KEY.match(key) and "\n" in text and simple) or text.startswith((" ", "\n")) \
            or text.endswith("\n\n"):
        return None
    return f"  {key}: |{chomp}\n" + "".join(f"    {line}\n" if line else "\n" for line in body)


def _provider(model: Model, folder: str) -> str:
    mount = conventions.dashboards_mount(model.service)
    return commented(model.spec_path) + (
        f"# Grafana file provider for the {model.title} dashboards. Mount generated/grafana/dashboards at\n"
        f"# {mount} (or change options.path to where you mount them).\n"
    ) + _yaml({"apiVersion": 1, "providers": [{
        "name": f"{model.service}-dashboards",
        "orgId": 1,
        "folder": folder,
        "type": "file",
        "disableDeletion": True,
        "allowUiUpdates": False,
        "updateIntervalSeconds": 60,
        "options": {"path": mount, "foldersFromFilesStructure": False},
    }]})


def _datasource(model: Model) -> str:
    return commented(model.spec_path) + (
        "# The Prometheus the dashboards query. CHANGE `url` to the address Grafana's server reaches\n"
        "# Prometheus at (Grafana proxies the queries). timeInterval is the spec's scrape_interval, so\n"
        "# $__rate_interval always spans at least four scrapes.\n"
    ) + _yaml({"apiVersion": 1, "datasources": [{
        "name": "Prometheus",
        "uid": "prometheus",
        "type": "prometheus",
        "access": "proxy",
        "url": PROMETHEUS_URL,
        "isDefault": True,
        "jsonData": {"timeInterval": model.scrape_interval},
    }]})


def _sidecar_comment(labels: tuple[tuple[str, str], ...], annotation: str) -> str:
    """What the Grafana sidecar needs to load the ConfigMap, and to file it in its folder."""
    carrying = " and ".join(f'{key}: "{value}"' for key, value in labels)
    loads = (f"# loads ConfigMaps labelled {carrying} (its sidecar.dashboards.label/labelValue);"
             if labels else "# loads ConfigMaps carrying its sidecar.dashboards.label;")
    return ("# The Grafana sidecar (kiwigrid/k8s-sidecar, as in the grafana Helm chart)\n"
            f"{loads}\n"
            f"# it reads the {annotation} annotation as the folder only when sidecar.dashboards.folderAnnotation\n"
            f"# is set to {annotation}.\n")


def _configmap(model: Model, uid: str, folder: str, dashboard_json: str) -> str:
    key = f"{uid}.json"
    entry = _literal_entry(key, dashboard_json)
    placement = model.deployment.dashboard_configmaps
    annotation = model.deployment.folder_annotation
    return commented(model.spec_path) + _sidecar_comment(placement.labels, annotation) + _yaml({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": f"grafana-dashboard-{uid}",
            **({"namespace": placement.namespace} if placement.namespace else {}),
            **({"labels": dict(placement.labels)} if placement.labels else {}),
            "annotations": {annotation: folder},
        },
        **({} if entry else {"data": {key: dashboard_json}}),
    }) + ("data:\n" + entry if entry else "")


def generate(model: Model) -> Iterator[tuple[str, str]]:
    if model.dashboards is None:
        return
    folder = model.dashboards.folder
    yield DASHBOARDS_PROVIDER.format(service=model.service), _provider(model, folder)
    yield DATASOURCE, _datasource(model)
    for board in model.dashboards.boards:
        yield CONFIGMAP.format(uid=board.uid), _configmap(model, board.uid, folder,
                                                          grafana.render(board, model.dashboards))
