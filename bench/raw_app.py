"""The benchmark's baseline: the app's nearby SQL through raw asyncpg, rows out as JSON.

A bare ASGI callable (no framework, no validation beyond parsing, no rendering):
GET /v1/facilities/nearby?lon=&lat=&radius_m=&kind=&limit= runs the statement of
`app.db.queries.facilities.compiled_nearby` (the app's own statement, compiled once to
asyncpg's $n placeholders, exactly as the app runs it), with `limit + 1` rows as the app asks for (it fetches one extra
row to know whether there is a next page), and returns those rows as they come.
The pool has the app's size (pool_size, max_size = pool_size + max_overflow) and the
connection arguments of the app's own engine (statement timeout, JIT off, …).

Run: `uvicorn --factory bench.raw_app:create_app` with DATABASE_URL set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import asyncpg
import orjson
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect

from app.db.queries.facilities import CompiledQuery, compiled_nearby, nearby_values
from app.db.session import create_engine
from app.domain.filters import FacilityFilter
from app.settings import Settings

PATH = "/v1/facilities/nearby"
SQLALCHEMY_ONLY_PARAMS = (
    "async_creator_fn",
    "prepared_statement_cache_size",
    "prepared_statement_name_func",
)
Scope = dict[str, Any]
Message = dict[str, Any]


@dataclass(frozen=True, slots=True)
class CompiledNearby:
    """The app's nearby statement for one kind, compiled once, as the app compiles it."""

    query: CompiledQuery

    @classmethod
    def compile(cls) -> CompiledNearby:
        dialect = asyncpg_dialect.dialect(paramstyle="numeric_dollar")  # type: ignore[no-untyped-call]
        return cls(
            compiled_nearby(FacilityFilter(kinds=("meal_point",)), paged=False, dialect=dialect)
        )

    @property
    def sql(self) -> str:
        return self.query.sql

    def arguments(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """Positional arguments for lon, lat, radius_m, one kind and the limit."""
        flt = FacilityFilter(kinds=(values["kind"],))
        return self.query.arguments(
            nearby_values(values["lon"], values["lat"], values["radius_m"], flt, values["limit"])
        )


def parse_query(query_string: bytes) -> dict[str, Any]:
    """lon, lat, radius_m, kind and limit from the query string; ValueError when missing."""
    raw = dict(parse_qsl(query_string.decode("latin-1")))
    return {
        "lon": float(raw["lon"]),
        "lat": float(raw["lat"]),
        "radius_m": float(raw.get("radius_m", "3000")),
        "kind": raw["kind"],
        "limit": int(raw.get("limit", "20")) + 1,
    }


async def app_connection_params(settings: Settings) -> tuple[dict[str, Any], int, int]:
    """The asyncpg.connect() arguments, pool size and overflow of the app's own engine.

    Taken from `app.db.session.create_engine` itself (one real connection), so the raw
    endpoint's sessions get exactly the app's server settings whatever they become.
    """
    engine = create_engine(settings)
    captured: dict[str, Any] = {}

    def capture(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> None:
        captured.update(cparams)

    event.listen(engine.sync_engine, "do_connect", capture)
    try:
        async with engine.connect():
            pass
        pool = engine.sync_engine.pool
        size = int(getattr(pool, "size", lambda: 5)())
        overflow = max(int(getattr(pool, "_max_overflow", 0)), 0)
    finally:
        await engine.dispose()
    for sqlalchemy_only in SQLALCHEMY_ONLY_PARAMS:
        captured.pop(sqlalchemy_only, None)
    return captured, size, overflow


class RawNearbyApp:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.statement = CompiledNearby.compile()
        self.pool: asyncpg.Pool | None = None

    async def startup(self) -> None:
        params, size, overflow = await app_connection_params(self.settings)
        server_settings = dict(params.pop("server_settings", {}))
        server_settings["application_name"] = "yilao-yixiao-bench-raw"
        self.pool = await asyncpg.create_pool(
            **params,
            server_settings=server_settings,
            min_size=size,
            max_size=size + overflow,
        )

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            status, body = await self._handle(scope)
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})

    async def _handle(self, scope: Scope) -> tuple[int, bytes]:
        if scope["path"] == "/healthz":
            return 200, b'{"status":"ok"}'
        if scope["path"] != PATH or scope["method"] != "GET":
            return 404, b'{"detail":"not found"}'
        try:
            values = parse_query(scope["query_string"])
        except (KeyError, ValueError) as exc:
            return 400, orjson.dumps({"detail": f"bad query: {exc}"})
        assert self.pool is not None
        rows = await self.pool.fetch(self.statement.sql, *self.statement.arguments(values))
        return 200, orjson.dumps({"items": [dict(r) for r in rows]})

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message: Message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as exc:
                    await send({"type": "lifespan.startup.failed", "message": repr(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_app() -> RawNearbyApp:
    return RawNearbyApp(Settings())
