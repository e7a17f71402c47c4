"""Generator of the same rules as a prometheus-operator PrometheusRule resource."""

from __future__ import annotations

from collections.abc import Iterator

from jamdash.generate.header import commented
from jamdash.generate.prometheus_rules import alert_groups, recording_groups
from jamdash.generate.yamltext import dump
from jamdash.model import Model

PATH = "kubernetes/{service}-rules.prometheusrule.yaml"


def generate(model: Model) -> Iterator[tuple[str, str]]:
    if not model.rules:
        return
    placement = model.deployment.prometheus_rule
    labels = {"app.kubernetes.io/name": model.service, "app.kubernetes.io/managed-by": "jamdash",
              "role": "alert-rules", **dict(placement.labels)}
    resource = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": f"{model.service}-rules",
            **({"namespace": placement.namespace} if placement.namespace else {}),
            "labels": labels,
        },
        "spec": {"groups": recording_groups(model) + alert_groups(model)},
    }
    yield PATH.format(service=model.service), commented(model.spec_path) + dump(resource)
