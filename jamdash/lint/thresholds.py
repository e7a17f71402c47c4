"""Rules on what thresholds measure: a quantile alert's threshold against its histogram's buckets."""

from __future__ import annotations

from collections.abc import Iterator

from jamdash import codes
from jamdash.findings import WARNING, Finding
from jamdash.lint.context import LintContext
from jamdash.promql.build import number

MAX_BUCKET_SHARE = 0.5  # the widest bucket around a quantile threshold, as a share of the threshold


def quantile_buckets(ctx: LintContext) -> Iterator[Finding]:
    for name, alert in ctx.spec.alerts.items():
        intent = alert.quantile
        metric = ctx.spec.metrics.get(intent.histogram) if intent else None
        if intent is None or metric is None or not metric.buckets:
            continue
        bounds = sorted(metric.buckets)
        above = intent.above
        path = ("alerts", name, "quantile", "above")
        where = f"{name}'s threshold {number(above)}"
        if above >= bounds[-1]:
            yield ctx.at(path, codes.QUANTILE_THRESHOLD_BUCKETS,
                         f"{where} is not below the last bucket bound of {intent.histogram} ({number(bounds[-1])}); "
                         "histogram_quantile never reads more than that bound, so the alert cannot fire", WARNING)
            continue
        higher = min(b for b in bounds if b > above)
        if above in bounds:
            yield ctx.at(path, codes.QUANTILE_THRESHOLD_BUCKETS,
                         f"{where} is a bucket bound of {intent.histogram}: observations just above it read as "
                         f"anywhere up to {number(higher)}; add bounds just below and above {number(above)} "
                         "and keep the threshold between them", WARNING)
            continue
        lower = max((b for b in bounds if b < above), default=0.0)
        share = (higher - lower) / above
        if share > MAX_BUCKET_SHARE:
            yield ctx.at(path, codes.QUANTILE_THRESHOLD_BUCKETS,
                         f"{where} lies in the bucket {number(lower)}..{number(higher)} of {intent.histogram}, "
                         f"{share:.0%} of the threshold wide (at most {MAX_BUCKET_SHARE:.0%}): the interpolated "
                         "quantile may be that far off; add bounds closer around it", WARNING)


RULES = (quantile_buckets,)
