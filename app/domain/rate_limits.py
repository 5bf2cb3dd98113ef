"""API key scopes and the token bucket that enforces a key's rate.

A bucket holds up to `burst` requests and refills at `rate_per_minute / 60` per second.
Time is passed in (monotonic seconds), so the arithmetic is tested without a clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    read = "read"  # public reads: facilities, regions, vocabularies, the changes feed
    analysis = "analysis"  # walking analysis: coverage and reach (heavier queries)
    write = "write"  # changes on behalf of the key's owner (纠错 reports from a hotline)


@dataclass(frozen=True, slots=True)
class KeyPolicy:
    """What one key may do and how fast: set by the admin who issued it."""

    key_id: int
    name: str
    owner: str
    city_code: str  # the city whose registry the key was issued for
    scopes: frozenset[Scope]
    rate_per_minute: int
    burst: int


class TokenBucket:
    """Requests allowed now; refills continuously. Not thread-safe (one event loop)."""

    __slots__ = ("burst", "per_second", "stamp", "tokens")

    def __init__(self, rate_per_minute: int, burst: int, now: float) -> None:
        self.per_second = rate_per_minute / 60.0
        self.burst = float(burst)
        self.tokens = float(burst)
        self.stamp = now

    def resize(self, rate_per_minute: int, burst: int) -> None:
        """Apply a changed policy, keeping what the caller has already used."""
        self.per_second = rate_per_minute / 60.0
        self.burst = float(burst)
        self.tokens = min(self.tokens, self.burst)

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.per_second)
            self.stamp = now

    def take(self, now: float) -> bool:
        """Spend one request if one is available."""
        self._refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def refund(self) -> None:
        """Give back a request that turned out not to count (a 304)."""
        self.tokens = min(self.burst, self.tokens + 1.0)

    def remaining(self) -> int:
        return int(self.tokens)

    def retry_after_s(self) -> int:
        """Whole seconds until one request is available again (at least 1)."""
        return max(1, math.ceil((1.0 - self.tokens) / self.per_second))

    def full_in_s(self) -> int:
        """Whole seconds until the bucket is full again (RateLimit-Reset)."""
        return max(0, math.ceil((self.burst - self.tokens) / self.per_second))


ANALYSIS_PATHS = ("/v1/coverage", "/v1/reach")


def required_scope(method: str, path: str) -> Scope:
    """The scope a key needs for a request; staff and resident routes check their own auth."""
    if path.startswith(ANALYSIS_PATHS) or path.endswith("/reach"):
        return Scope.analysis
    if method in ("GET", "HEAD", "OPTIONS") or path in ("/v1/facilities/nearby",):
        return Scope.read
    return Scope.write
