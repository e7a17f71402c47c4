"""lint: pure rule functions over the shape-checked spec; every finding is collected."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jamdash.findings import Finding
from jamdash.lint import (
    alerts,
    cardinality,
    dashboard_panels,
    dashboards,
    deployment,
    deprecation,
    descriptions,
    fleet,
    labels,
    naming,
    telemetry_events,
    telemetry_spans,
    thresholds,
    waivers,
)
from jamdash.lint.context import LintContext
from jamdash.load.source import Path, SourceMap
from jamdash.spec import Spec

Rule = Callable[[LintContext], Iterable[Finding]]

# A module adding rules lists its rule functions in RULES; its rule ids are declared in jamdash/codes.py.
_MODULES = (deployment, labels, naming, waivers, deprecation, cardinality, telemetry_events, telemetry_spans, dashboards,
            dashboard_panels, alerts, thresholds, descriptions, fleet)

RULES: tuple[Rule, ...] = tuple(rule for module in _MODULES for rule in module.RULES)


def lint(spec: Spec, source: SourceMap, dropped: frozenset[Path] = frozenset()) -> list[Finding]:
    ctx = LintContext(spec, source, dropped)
    findings = [finding for rule in RULES for finding in rule(ctx)]
    return list(dict.fromkeys(findings))

