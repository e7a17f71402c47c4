"""A per-token rate limit: a token bucket refilled at N requests per minute, in bounded process memory."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable


def _key(token: str) -> bytes:
    """What a bucket is kept under: 16 bytes of the token's digest, whatever the token's length."""
    return hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class RateLimiter:
    """Allows each token ``per_minute`` requests per minute, in bursts of at most ``per_minute``.

    >>> limiter = RateLimiter(2, clock=lambda: 0.0)
    >>> [limiter.allow("t") for _ in range(3)]
    [True, True, False]

    Buckets are kept under a digest of the token, never the token itself, and at most
    ``max_tokens`` of them: past that the least recently used bucket is forgotten (its token
    starts again with a full bucket). Buckets idle long enough to be full again are dropped.
    """

    __slots__ = ("per_minute", "max_tokens", "_rate", "_clock", "_buckets", "_next_sweep")

    def __init__(self, per_minute: int, max_tokens: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.max_tokens = max_tokens
        self._rate = per_minute / 60.0
        self._clock = clock
        # digest -> (requests left, at time); in order of last use, the least recent first
        self._buckets: dict[bytes, tuple[float, float]] = {}
        self._next_sweep = clock() + 60.0

    def __len__(self) -> int:
        """Buckets held."""
        return len(self._buckets)

    def allow(self, token: str) -> bool:
        """Take one request from the token's bucket; False (and nothing taken) when it is empty."""
        now = self._clock()
        if now >= self._next_sweep:
            self._sweep(now)
        key = _key(token)
        left, at = self._buckets.pop(key, (float(self.per_minute), now))
        left = min(float(self.per_minute), left + (now - at) * self._rate)
        allowed = left >= 1.0
        self._buckets[key] = (left - 1.0 if allowed else left, now)
        if len(self._buckets) > self.max_tokens:
            del self._buckets[next(iter(self._buckets))]
        return allowed

    def refund(self, token: str) -> None:
        """Give back the request allow() took: the request was refused for another reason."""
        key = _key(token)
        bucket = self._buckets.get(key)
        if bucket is not None:
            self._buckets[key] = (min(float(self.per_minute), bucket[0] + 1.0), bucket[1])

    def retry_after(self, token: str) -> int:
        """Whole seconds until the token's bucket holds one request again."""
        left, _ = self._buckets.get(_key(token), (float(self.per_minute), 0.0))
        return max(1, int((1.0 - left) / self._rate + 0.999))

    def _sweep(self, now: float) -> None:
        full_after = 60.0  # an idle bucket refills completely within a minute
        self._buckets = {k: b for k, b in self._buckets.items() if now - b[1] < full_after}
        self._next_sweep = now + 60.0
