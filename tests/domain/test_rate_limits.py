"""The token bucket's arithmetic and which scope a request needs."""

from __future__ import annotations

from app.domain.rate_limits import Scope, TokenBucket, required_scope


def test_a_bucket_allows_its_burst_then_refills_at_its_rate() -> None:
    bucket = TokenBucket(rate_per_minute=60, burst=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.retry_after_s() == 1 and bucket.full_in_s() == 3
    assert bucket.take(1.0) and not bucket.take(1.0)
    assert bucket.take(100.0) and bucket.remaining() == 2


def test_a_refund_never_overfills() -> None:
    bucket = TokenBucket(rate_per_minute=6, burst=2, now=0.0)
    bucket.refund()
    assert bucket.remaining() == 2
    assert bucket.take(0.0)
    bucket.refund()
    assert bucket.remaining() == 2


def test_scopes_by_route() -> None:
    assert required_scope("GET", "/v1/facilities/nearby") == Scope.read
    assert required_scope("POST", "/v1/facilities/nearby") == Scope.read
    assert required_scope("POST", "/v1/coverage") == Scope.analysis
    assert required_scope("GET", "/v1/facilities/f_1/reach") == Scope.analysis
    assert required_scope("POST", "/v1/reports") == Scope.write
