"""Rules on metric waivers: each names a waivable rule, once."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from jamdash.findings import Finding
from jamdash.lint.context import LintContext

RULE_IDS = ("unknown-waiver-rule", "waiver-duplicate")


def waivers(ctx: LintContext) -> Iterator[Finding]:
    from jamdash.lint import RULE_IDS as ALL_RULE_IDS, waivable_rule_ids

    waivable = waivable_rule_ids()
    listing = ", ".join(sorted(waivable))
    for name, metric in ctx.spec.metrics.items():
        seen: set[str] = set()
        for i, waiver in enumerate(metric.waivers):
            path = ("metrics", name, "waivers", i, "rule")
            if waiver.rule not in waivable:
                if waiver.rule in ALL_RULE_IDS:
                    message = f"rule '{waiver.rule}' cannot be waived per metric; waivable rules: {listing}"
                else:
                    close = difflib.get_close_matches(waiver.rule, sorted(waivable), n=1)
                    hint = f"did you mean '{close[0]}'? " if close else ""
                    message = f"no lint rule '{waiver.rule}' to waive; {hint}waivable rules: {listing}"
                yield ctx.at(path, "unknown-waiver-rule", message)
                continue
            if waiver.rule in seen:
                yield ctx.at(path, "waiver-duplicate",
                             f"'{name}' waives '{waiver.rule}' twice: keep one waiver with one reason")
            seen.add(waiver.rule)


RULES = (waivers,)
