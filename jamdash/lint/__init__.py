"""lint: pure rule functions over the shape-checked spec; every finding is collected."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jamdash.findings import Finding
from jamdash.lint.context import LintContext
from jamdash.lint import cardinality, deprecation, labels, naming
from jamdash.source import SourceMap
from jamdash.spec import Spec

Rule = Callable[[LintContext], Iterable[Finding]]

RULES: tuple[Rule, ...] = (
    *labels.RULES,
    *naming.RULES,
    *cardinality.RULES,
    *deprecation.RULES,
)


def lint(spec: Spec, source: SourceMap) -> list[Finding]:
    ctx = LintContext(spec, source)
    findings = [finding for rule in RULES for finding in rule(ctx)]
    return list(dict.fromkeys(findings))


def known_rule_ids() -> frozenset[str]:
    """Every rule id a metric waiver may name: naming rules, and compatibility changes `jamdash diff`
    should accept for that metric."""
    from jamdash.compat import WAIVABLE

    return frozenset(naming.RULE_IDS) | WAIVABLE
