"""The series budget: each metric's product of label cardinalities, bounded by max_series."""

from __future__ import annotations

from collections.abc import Iterator

from jamdash import codes
from jamdash import conventions
from jamdash.findings import Finding
from jamdash.lint.context import LintContext

TOP_CONTRIBUTORS = 5


def budgets(ctx: LintContext) -> dict[str, int]:
    """Series budget per metric name, the overflow self-metric included."""
    spec = ctx.spec
    out: dict[str, int] = {}
    pairs = 0
    for name, metric in spec.metrics.items():
        labels = [spec.labels[key] for key in metric.labels if key in spec.labels]
        pairs += len(labels)
        buckets = len(metric.buckets or ()) if metric.type == "histogram" else None
        out[name] = conventions.series_budget(
            [conventions.label_cardinality(label.values, label.max_values) for label in labels], buckets
        )
    if pairs:
        out[conventions.overflow_metric_name(spec.service)] = pairs
    return out




def max_series(ctx: LintContext) -> Iterator[Finding]:
    if not ctx.complete:
        return  # the budget of entries left out by shape errors is unknown
    per_metric = budgets(ctx)
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
