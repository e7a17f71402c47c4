"""lint: pure rule functions over the shape-checked spec; every finding is collected."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jamdash.findings import Finding
from jamdash.lint import (
    alerts,
    cardinality,
    dashboard_panels,
    dashboards,
    deprecation,
    labels,
    naming,
    telemetry_events,
    telemetry_spans,
    waivers,
)
from jamdash.lint.context import LintContext
from jamdash.load.source import Path, SourceMap
from jamdash.spec import Spec

WAIVABLE_COVERAGE = "metric-coverage"  # jamdash.check.coverage: a metric on no dashboard and in no rule

Rule = Callable[[LintContext], Iterable[Finding]]

# A module adding rules lists its rule functions in RULES and its rule ids in RULE_IDS.
_MODULES = (labels, naming, waivers, deprecation, cardinality, telemetry_events, telemetry_spans, dashboards,
            dashboard_panels, alerts)

RULES: tuple[Rule, ...] = tuple(rule for module in _MODULES for rule in module.RULES)

# Every lint rule id, in a stable order; docs/spec.md documents each one.
RULE_IDS: tuple[str, ...] = tuple(rule_id for module in _MODULES for rule_id in module.RULE_IDS)


def lint(spec: Spec, source: SourceMap, dropped: frozenset[Path] = frozenset()) -> list[Finding]:
    ctx = LintContext(spec, source, dropped)
    findings = [finding for rule in RULES for finding in rule(ctx)]
    return list(dict.fromkeys(findings))


def waivable_rule_ids() -> frozenset[str]:
    """Every rule id a metric waiver may name."""
    from jamdash.diff.compare import WAIVABLE

    return (frozenset(naming.RULE_IDS) - naming.NOT_WAIVABLE) | {WAIVABLE_COVERAGE} | WAIVABLE
