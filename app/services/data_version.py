"""The data version that public answers' ETags are derived from.

A 304 must cost much less than a full answer, so it cannot re-run the query to hash the
body. Instead an ETag is a hash of the request and of the database's snapshot token,
fetched at most once per `ttl_s` per process: a client revalidating up to `ttl_s`
after a commit may still get a 304 for the earlier answer (answers already say
`max-age` of a minute, so this adds at most `ttl_s` to what caches may serve).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries.versions import snapshot_token


class DataVersion:
    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self.engine: AsyncEngine | None = None
        self._token = ""
        self._until = 0.0

    def bind(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def current(self, now: float) -> str | None:
        """The cached token, refreshed when older than ttl_s; None if the database is away."""
        if now < self._until:
            return self._token
        if self.engine is None:
            return None
        try:
            async with self.engine.connect() as conn:
                token = await snapshot_token(conn)
        except Exception:  # the answer itself will report the outage; no fast path now
            return None
        self._token, self._until = token, now + self.ttl_s
        return token
