"""API keys and rate limits as pure ASGI middleware, in front of caching and routing.

Every /v1 request spends one request from a token bucket: the key's own (header
`X-API-Key`) or, without a key, the bucket all anonymous callers share. Limits are keyed
on the key, never on a client address a proxy can hide. Every answer carries
RateLimit-Limit / -Remaining / -Reset / -Policy; over the limit is 429 problem+json
with Retry-After. A 304 does not count: its request is given back, and a conditional
request that finds the bucket empty still gets its 304 (any other answer becomes 429).

The key check costs a SHA-256 and a dict lookup: policies are cached by KeyRegistry
(see its docstring for how soon a revocation is seen); no database round trip per
request.
"""

from __future__ import annotations

import time

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.domain.rate_limits import KeyPolicy, TokenBucket, required_scope
from app.errors import Forbidden, ServiceError, TooManyRequests, Unauthorized, error_response
from app.services.api_keys import KeyRegistry

KEY_HEADER = b"x-api-key"
LIMITED_PREFIXES = ("/v1/", "/ogc")
OWN_AUTH_PREFIXES = ("/v1/auth/", "/v1/admin/", "/v1/me", "/v1/wx/")
MAX_KEY_CHARS = 100


def _headers(bucket: TokenBucket, rate_per_minute: int) -> list[tuple[bytes, bytes]]:
    return [
        (b"ratelimit-limit", str(rate_per_minute).encode()),
        (b"ratelimit-remaining", str(bucket.remaining()).encode()),
        (b"ratelimit-reset", str(bucket.full_in_s()).encode()),
        (b"ratelimit-policy", f"{rate_per_minute};w=60;burst={int(bucket.burst)}".encode()),
    ]


class RateLimits:
    """Check the API key, spend from its bucket, and label every answer with the limits."""

    def __init__(self, app: ASGIApp, registry: KeyRegistry) -> None:
        self.app = app
        self.registry = registry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(LIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        key: bytes | None = None
        conditional = False
        for name, value in scope["headers"]:
            if name == KEY_HEADER:
                key = value
            elif name == b"if-none-match":
                conditional = True
        now = time.monotonic()
        policy: KeyPolicy | None = None
        try:
            if key is not None:
                policy = await self._policy(key, now, scope["method"], path)
        except ServiceError as exc:
            await error_response(exc, path)(scope, receive, send)
            return
        if policy is None:
            bucket, rate = self.registry.anonymous, self.registry.anonymous_rate_per_minute
        else:
            bucket, rate = self.registry.bucket(policy, now), policy.rate_per_minute
        scope.setdefault("state", {})["api_key"] = policy
        allowed = bucket.take(now)
        if not allowed and not conditional:
            await self._too_many(bucket, rate, policy, path)(scope, receive, send)
            return
        refused = False

        async def labelled(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start":
                if message["status"] == 304:
                    if allowed:
                        bucket.refund()
                elif not allowed:
                    refused = True
                    await self._too_many(bucket, rate, policy, path)(scope, receive, send)
                    return
                message["headers"] = [*message.get("headers", ()), *_headers(bucket, rate)]
            elif refused:
                return
            await send(message)

        await self.app(scope, receive, labelled)

    async def _policy(self, key: bytes, now: float, method: str, path: str) -> KeyPolicy:
        text = key.decode("latin-1").strip()
        if not text or len(text) > MAX_KEY_CHARS:
            raise Unauthorized("the X-API-Key header is not a key this service issued")
        policy = await self.registry.policy(text, now)
        if policy is None:
            raise Unauthorized("the API key is unknown or has been revoked")
        if not path.startswith(OWN_AUTH_PREFIXES):
            needed = required_scope(method, path)
            if needed not in policy.scopes:
                raise Forbidden(f"this API key lacks the {needed} scope")
        return policy

    @staticmethod
    def _too_many(bucket: TokenBucket, rate: int, policy: KeyPolicy | None, path: str) -> Response:
        who = f"API key {policy.name!r}" if policy else "anonymous use (ask for an API key)"
        exc = TooManyRequests(
            f"{who} is limited to {rate} requests a minute", retry_after_s=bucket.retry_after_s()
        )
        headers = {k.decode(): v.decode() for k, v in _headers(bucket, rate)}
        return error_response(exc, path, headers)
