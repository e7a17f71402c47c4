"""Generator of the same rules as Kubernetes objects: a PrometheusRule, and a VMRule for VictoriaMetrics.

The VMRule (VictoriaMetrics operator) is written next to the PrometheusRule when `fleet.backends`
names victoriametrics; both hold the same groups and metadata.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jamdash.generate.header import commented
from jamdash.generate.prometheus_rules import alert_groups, recording_groups
from jamdash.generate.yamltext import dump
from jamdash.model import Model

PATH = "kubernetes/{service}-rules.prometheusrule.yaml"
VMRULE_PATH = "kubernetes/{service}-rules.vmrule.yaml"
KINDS = {"PrometheusRule": "monitoring.coreos.com/v1", "VMRule": "operator.victoriametrics.com/v1beta1"}


def resource(model: Model, kind: str) -> dict[str, Any]:
    placement = model.deployment.prometheus_rule
    labels = {"app.kubernetes.io/name": model.service, "app.kubernetes.io/managed-by": "jamdash",
              "role": "alert-rules", **dict(placement.labels)}
    return {
        "apiVersion": KINDS[kind],
        "kind": kind,
        "metadata": {
            "name": f"{model.service}-rules",
            **({"namespace": placement.namespace} if placement.namespace else {}),
            "labels": labels,
        },
        "spec": {"groups": recording_groups(model) + alert_groups(model)},
    }


def generate(model: Model) -> Iterator[tuple[str, str]]:
    if not model.rules:
        return
    header = commented(model.spec_path)
    yield PATH.format(service=model.service), header + dump(resource(model, "PrometheusRule"))
    if model.fleet.writes("victoriametrics"):
        yield VMRULE_PATH.format(service=model.service), header + dump(resource(model, "VMRule"))
