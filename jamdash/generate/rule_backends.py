"""Generators of the rules in the shapes other rule engines load: Thanos Ruler, Mimir and Cortex rulers.

Prometheus and vmalert load generated/prometheus/ as it is; the VictoriaMetrics operator's VMRule is
written next to the PrometheusRule (kubernetes_rules.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jamdash.generate.header import commented
from jamdash.generate.prometheus_rules import alert_groups, recording_groups
from jamdash.generate.yamltext import dump
from jamdash.model import Model

THANOS_PATH = "thanos/{service}.rules.yaml"
RULER_PATH = "{backend}/{namespace}.rules.yaml"
RULERS = ("mimir", "cortex")


def groups(model: Model) -> list[dict[str, Any]]:
    """Every rule group, recording groups first (a recorded series is evaluated before its users)."""
    return recording_groups(model) + alert_groups(model)


def thanos(model: Model) -> dict[str, Any]:
    """A Thanos Ruler file: Prometheus' groups, each with its partial_response_strategy."""
    strategy = model.fleet.partial_response_strategy
    return {"groups": [{"name": group["name"], "partial_response_strategy": strategy, **group}
                       for group in groups(model)]}


def ruler(model: Model) -> dict[str, Any]:
    """A Mimir or Cortex ruler file as `mimirtool rules load` / `cortextool rules load` read it."""
    return {"namespace": model.fleet.namespace, "groups": groups(model)}


def generate(model: Model) -> Iterator[tuple[str, str]]:
    if not model.rules:
        return
    header = commented(model.spec_path)
    if model.fleet.writes("thanos"):
        yield THANOS_PATH.format(service=model.service), header + dump(thanos(model))
    for backend in RULERS:
        if model.fleet.writes(backend):
            yield RULER_PATH.format(backend=backend, namespace=model.fleet.namespace), header + dump(ruler(model))
