"""Rules on metric waivers: each names a waivable rule, once."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from jamdash import codes
from jamdash.findings import Finding
from jamdash.lint.context import LintContext


def waivers(ctx: LintContext) -> Iterator[Finding]:
    waivable = codes.waivable()
    listing = ", ".join(sorted(waivable))
    for name, metric in ctx.spec.metrics.items():
        seen: set[str] = set()
        for i, waiver in enumerate(metric.waivers):
            path = ("metrics", name, "waivers", i, "rule")
            if waiver.rule not in waivable:
                if waiver.rule in codes.REGISTRY:
                    message = f"rule '{waiver.rule}' cannot be waived per metric; waivable rules: {listing}"
                else:
                    close = difflib.get_close_matches(waiver.rule, sorted(waivable), n=1)
                    hint = f"did you mean '{close[0]}'? " if close else ""
                    message = f"no lint rule '{waiver.rule}' to waive; {hint}waivable rules: {listing}"
                yield ctx.at(path, codes.UNKNOWN_WAIVER_RULE, message)
                continue
            if waiver.rule in seen:
                yield ctx.at(path, codes.WAIVER_DUPLICATE,
                             f"'{name}' waives '{waiver.rule}' twice: keep one waiver with one reason")
            seen.add(waiver.rule)


RULES = (waivers,)
