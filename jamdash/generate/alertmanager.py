"""Generator of generated/alertmanager/<service>.yml: the service's route subtree, inhibit rules and receivers.

The file is a whole Alertmanager configuration, so `amtool check-config` and `amtool config routes test`
read it as it is; what an operator copies into their own configuration is `route.routes[0]` (the
service's subtree), `inhibit_rules`, and receivers of the same names with their notification settings
(the generated receivers are placeholders: a receiver without settings notifies nobody).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jamdash.generate.header import commented
from jamdash.generate.yamltext import dump
from jamdash.model import Model
from jamdash.model.routing import Routing
from jamdash.promql.build import target_matcher

NOTE = """\
# The service's route subtree is route.routes[0]: copy it under your root route, with the inhibit rules.
# Receivers are placeholders named in the spec (alerting.receivers): give receivers of these names their
# pagerduty_configs, webhook_configs, ... in your configuration; {silent} notifies nobody on purpose.
"""


def path(service: str) -> str:
    return f"alertmanager/{service}.yml"


def subtree(routing: Routing) -> dict[str, Any]:
    """The service's route: its alerts by job, grouped, then one child route per severity."""
    return {
        "matchers": [target_matcher(m) for m in routing.matchers],
        "group_by": list(routing.group_by),
        "receiver": routing.silent,
        "routes": [{"matchers": [f'severity="{severity}"'], "receiver": receiver}
                   for severity, receiver in routing.receivers],
    }


def inhibit_rules(routing: Routing) -> list[dict[str, Any]]:
    return [{"source_matchers": [target_matcher(m) for m in rule.source],
             "target_matchers": [target_matcher(m) for m in rule.target],
             "equal": list(rule.equal)} for rule in routing.inhibits]


def generate(model: Model) -> Iterator[tuple[str, str]]:
    routing = model.rules.routing
    if routing is None:
        return
    config = {
        "route": {"receiver": routing.silent, "routes": [subtree(routing)]},
        "inhibit_rules": inhibit_rules(routing),
        "receivers": [{"name": name} for name in routing.receiver_names],
    }
    yield path(model.service), commented(model.spec_path) + NOTE.format(silent=routing.silent) + dump(config)
