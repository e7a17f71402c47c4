"""The series budget: each metric's product of label cardinalities, bounded by max_series."""

from __future__ import annotations

from collections.abc import Iterator

from jamdash import codes
from jamdash.findings import Finding
from jamdash.lint.context import LintContext

TOP_CONTRIBUTORS = 5


def max_series(ctx: LintContext) -> Iterator[Finding]:
    if not ctx.complete:
        return  # the budget of entries left out by shape errors is unknown
    per_metric = {name: m.series_budget for name, m in ctx.metrics.items()}
    total = sum(per_metric.values())
    if total <= ctx.spec.max_series:
        return
    top = sorted(per_metric.items(), key=lambda item: (-item[1], item[0]))[:TOP_CONTRIBUTORS]
    listing = ", ".join(f"{name} ({n})" for name, n in top)
    yield ctx.at(("max_series",), codes.SERIES_BUDGET,
                 f"the metrics may export {total} series, over max_series {ctx.spec.max_series}; "
                 f"largest: {listing}. Drop labels, bound them tighter, use fewer buckets "
                 "or raise max_series")


RULES = (max_series,)
