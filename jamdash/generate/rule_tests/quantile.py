"""histogram_quantile() as Prometheus computes it, and histograms whose quantile lands where a case needs it."""

from __future__ import annotations

import math
from collections.abc import Sequence


def histogram_quantile(q: float, buckets: Sequence[tuple[float, float]]) -> float:
    """Prometheus' bucketQuantile over cumulative (upper bound, count) pairs, +Inf last."""
    observations = buckets[-1][1]
    if len(buckets) < 2 or observations == 0:
        return math.nan
    rank = q * observations
    b = next((i for i, (_, count) in enumerate(buckets[:-1]) if count >= rank), len(buckets) - 1)
    if b == len(buckets) - 1:
        return buckets[-2][0]
    if b == 0 and buckets[0][0] <= 0:
        return buckets[0][0]
    start, end, count = 0.0, buckets[b][0], buckets[b][1]
    if b > 0:
        start = buckets[b - 1][0]
        count -= buckets[b - 1][1]
        rank -= buckets[b - 1][1]
    return start + (end - start) * (rank / count)


def distribution(bounds: Sequence[float], q: float, low: float, high: float, many: int) -> dict[float, float] | None:
    """Whole observations per interval, `many` of them in one bucket and the rest in the first, whose q-quantile
    lies strictly between low and high; None when no bucket allows it (the middle below the first bound or
    above the last)."""
    middle = (low + high) / 2
    j = next((i for i, bound in enumerate(bounds) if middle <= bound), None)
    if not j:
        return None
    lo, hi = bounds[j - 1], bounds[j]
    share = (middle - lo) / (hi - lo)  # where in its bucket the quantile sits
    if share >= q:
        return None
    counts = {bounds[0]: float(round(many * (q - share) / (1 - q))), hi: float(many)}
    cumulative, pairs = 0.0, []
    for bound in (*bounds, math.inf):
        cumulative += counts.get(bound, 0.0)
        pairs.append((bound, cumulative))
    return counts if low < histogram_quantile(q, pairs) < high else None
