"""Generator of the route subtree and inhibit rules as a prometheus-operator AlertmanagerConfig object.

The operator scopes the object to its namespace: it adds a `namespace` matcher to the route and to every
inhibit rule, and prefixes the receiver names; the receivers are placeholders to give settings to.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jamdash.generate.header import commented
from jamdash.generate.yamltext import dump
from jamdash.model import Model
from jamdash.model.deployment import Matcher

MATCH_TYPES = {"=", "!=", "=~", "!~"}


def path(service: str) -> str:
    return f"kubernetes/{service}.alertmanagerconfig.yaml"


def _matcher(m: Matcher) -> dict[str, str]:
    assert m.op in MATCH_TYPES
    return {"name": m.label, "value": m.value, "matchType": m.op}


def generate(model: Model) -> Iterator[tuple[str, str]]:
    placement = model.deployment.prometheus_rule
    routing = model.rules.routing
    if routing is None:
        return
    route: dict[str, Any] = {
        "receiver": routing.silent,
        "matchers": [_matcher(m) for m in routing.matchers],
        "groupBy": list(routing.group_by),
        "routes": [{"matchers": [_matcher(Matcher("severity", "=", severity))], "receiver": receiver}
                   for severity, receiver in routing.receivers],
    }
    resource = {
        "apiVersion": "monitoring.coreos.com/v1alpha1",
        "kind": "AlertmanagerConfig",
        "metadata": {"name": f"{model.service}-alerts",
                     # placed like the PrometheusRule: same namespace, same extra labels for the operator's selectors
                     **({"namespace": placement.namespace} if placement.namespace else {}),
                     "labels": {"app.kubernetes.io/name": model.service, "app.kubernetes.io/managed-by": "jamdash",
                                **dict(placement.labels)}},
        "spec": {
            "route": route,
            "inhibitRules": [{"sourceMatch": [_matcher(m) for m in rule.source],
                              "targetMatch": [_matcher(m) for m in rule.target],
                              "equal": list(rule.equal)} for rule in routing.inhibits],
            "receivers": [{"name": name} for name in routing.receiver_names],
        },
    }
    yield path(model.service), commented(model.spec_path) + dump(resource)
