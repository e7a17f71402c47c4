"""A per-token rate limit: a token bucket refilled at N requests per minute, in process memory."""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    """Allows each token ``per_minute`` requests per minute, in bursts of at most ``per_minute``.

    >>> limiter = RateLimiter(2, clock=lambda: 0.0)
    >>> [limiter.allow("t") for _ in range(3)]
    [True, True, False]

    Buckets idle long enough to be full again are dropped, so memory stays bounded by the
    tokens seen in the last minute.
    """

    __slots__ = ("per_minute", "_rate", "_clock", "_buckets", "_next_sweep")

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # token -> (tokens left, at time)
        self._next_sweep = clock() + 60.0

    def allow(self, token: str) -> bool:
        """Take one request from the token's bucket; False (and nothing taken) when it is empty."""
        now = self._clock()
        if now >= self._next_sweep:
            self._sweep(now)
        left, at = self._buckets.get(token, (float(self.per_minute), now))
        left = min(float(self.per_minute), left + (now - at) * self._rate)
        if left < 1.0:
            self._buckets[token] = (left, now)
            return False
        self._buckets[token] = (left - 1.0, now)
        return True

    def retry_after(self, token: str) -> int:
        """Whole seconds until the token's bucket holds one request again."""
        left, _ = self._buckets.get(token, (float(self.per_minute), 0.0))
        return max(1, int((1.0 - left) / self._rate + 0.999))

    def _sweep(self, now: float) -> None:
        full_after = 60.0  # an idle bucket refills completely within a minute
        self._buckets = {t: b for t, b in self._buckets.items() if now - b[1] < full_after}
        self._next_sweep = now + 60.0
