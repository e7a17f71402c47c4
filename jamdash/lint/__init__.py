"""lint: pure rule functions over the shape-checked spec; every finding is collected."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jamdash.findings import Finding
from jamdash.lint.context import LintContext
from jamdash.lint import cardinality, dashboard_panels, dashboards, labels, naming
from jamdash.source import SourceMap
from jamdash.spec import Spec

WAIVABLE_COVERAGE = "metric-coverage"  # jamdash.check.coverage: a metric on no dashboard and in no rule

Rule = Callable[[LintContext], Iterable[Finding]]

RULES: tuple[Rule, ...] = (
    *labels.RULES,
    *naming.RULES,
    *cardinality.RULES,
    *dashboard_panels.RULES,
    *dashboards.RULES,
)


def lint(spec: Spec, source: SourceMap) -> list[Finding]:
    ctx = LintContext(spec, source)
    findings = [finding for rule in RULES for finding in rule(ctx)]
    return list(dict.fromkeys(findings))


def known_rule_ids() -> frozenset[str]:
    """Every rule id a metric waiver may name."""
    return frozenset((*naming.RULE_IDS, WAIVABLE_COVERAGE))
