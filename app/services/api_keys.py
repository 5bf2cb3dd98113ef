"""API keys: issuing and revoking them (audited), and the in-memory registry that checks
them on every request without a database round trip.

The registry caches each key's policy for `ttl_s` seconds after looking it up, so a
revocation made in another process is seen within that time (in this process at once).
Rate limits are token buckets in this process's memory: with several workers each
enforces the key's rate on its own share of the traffic.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import api_keys as kq
from app.db.queries import staff as sq
from app.domain.rate_limits import KeyPolicy, Scope, TokenBucket
from app.domain.roles import Permission
from app.errors import Conflict, NotFound, Unavailable
from app.services.staff import StaffIdentity

KEY_PREFIX = "ylyx_"
MAX_CACHED_KEYS = 10_000


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _listed(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "key_prefix": row.key_prefix,
        "name": row.name,
        "owner": row.owner,
        "city_code": row.city_code,
        "scopes": list(row.scopes),
        "rate_per_minute": row.rate_per_minute,
        "burst": row.burst,
        "created_at": row.created_at.isoformat(),
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
    }


async def issue_key(
    engine: AsyncEngine,
    actor: StaffIdentity,
    *,
    name: str,
    owner: str,
    scopes: list[Scope],
    rate_per_minute: int,
    burst: int | None,
) -> dict[str, Any]:
    """A new key; the secret is in this answer only, the database keeps its SHA-256."""
    actor.require(Permission.manage_api_keys)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    values = {
        "key_sha256": key_digest(key),
        "key_prefix": key[: len(KEY_PREFIX) + 6],
        "name": name,
        "owner": owner,
        "city_code": actor.city_code,
        "scopes": sorted(str(s) for s in set(scopes)),
        "rate_per_minute": rate_per_minute,
        "burst": burst or rate_per_minute,
        "created_by": actor.id,
    }
    try:
        async with engine.begin() as conn:
            row = await kq.insert_key(conn, values)
            listed = _listed(row)
            await sq.insert_audit(
                conn,
                city_code=actor.city_code,
                actor_id=actor.id,
                actor_role=str(actor.role),
                action="issue",
                object_type="api_key",
                object_id=str(row.id),
                before=None,
                after={k: v for k, v in listed.items() if k != "created_at"},
            )
    except IntegrityError as exc:  # pragma: no cover - a 256-bit collision
        raise Conflict("could not store the key; try again") from exc
    return {**listed, "key": key}


async def list_keys(engine: AsyncEngine, actor: StaffIdentity) -> list[dict[str, Any]]:
    actor.require(Permission.manage_api_keys)
    async with engine.connect() as conn:
        return [_listed(r) for r in await kq.keys_of_city(conn, actor.city_code)]


async def revoke_key(
    engine: AsyncEngine, actor: StaffIdentity, key_id: int, registry: KeyRegistry
) -> dict[str, Any]:
    """Revoke a key of the admin's city (audited); this process forgets it at once."""
    actor.require(Permission.manage_api_keys)
    async with engine.begin() as conn:
        row = await kq.key_by_id(conn, key_id)
        if row is None or row.city_code != actor.city_code:
            raise NotFound(f"no API key {key_id} in your city")
        if row.revoked_at is None:
            await kq.revoke_key(conn, key_id, datetime.now(UTC))
            await sq.insert_audit(
                conn,
                city_code=actor.city_code,
                actor_id=actor.id,
                actor_role=str(actor.role),
                action="revoke",
                object_type="api_key",
                object_id=str(key_id),
                before={"revoked_at": None},
                after={"revoked": True},
            )
        row = await kq.key_by_id(conn, key_id)
    registry.forget(key_id)
    return _listed(row)


class KeyRegistry:
    """Keys' policies cached by digest, and one token bucket per key plus one shared by
    anonymous callers. `bind(engine)` in the app's lifespan before the first request."""

    def __init__(
        self, *, ttl_s: float, anonymous_rate_per_minute: int, anonymous_burst: int
    ) -> None:
        self.ttl_s = ttl_s
        self.engine: AsyncEngine | None = None
        self._policies: dict[str, tuple[float, KeyPolicy | None]] = {}
        self._buckets: dict[int, TokenBucket] = {}
        self.anonymous = TokenBucket(anonymous_rate_per_minute, anonymous_burst, time.monotonic())
        self.anonymous_rate_per_minute = anonymous_rate_per_minute

    def bind(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def policy(self, key: str, now: float) -> KeyPolicy | None:
        """The key's policy, or None for an unknown or revoked key (also cached)."""
        digest = key_digest(key)
        cached = self._policies.get(digest)
        if cached is not None and cached[0] > now:
            return cached[1]
        if self.engine is None:
            raise Unavailable("the key registry is not connected yet")
        async with self.engine.connect() as conn:
            row = await kq.active_key_by_digest(conn, digest)
        policy = None
        if row is not None:
            policy = KeyPolicy(
                key_id=row.id,
                name=row.name,
                owner=row.owner,
                city_code=row.city_code,
                scopes=frozenset(Scope(s) for s in row.scopes),
                rate_per_minute=row.rate_per_minute,
                burst=row.burst,
            )
        if len(self._policies) >= MAX_CACHED_KEYS:
            self._policies.clear()
        self._policies[digest] = (now + self.ttl_s, policy)
        return policy

    def bucket(self, policy: KeyPolicy, now: float) -> TokenBucket:
        bucket = self._buckets.get(policy.key_id)
        if bucket is None:
            bucket = self._buckets[policy.key_id] = TokenBucket(
                policy.rate_per_minute, policy.burst, now
            )
        elif bucket.burst != policy.burst or bucket.per_second * 60 != policy.rate_per_minute:
            bucket.resize(policy.rate_per_minute, policy.burst)
        return bucket

    def forget(self, key_id: int) -> None:
        """Drop a key from the cache (after revocation in this process)."""
        stale = [d for d, (_, p) in self._policies.items() if p is not None and p.key_id == key_id]
        for digest in stale:
            del self._policies[digest]
        self._buckets.pop(key_id, None)
