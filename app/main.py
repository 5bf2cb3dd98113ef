"""Composition root: create_app(settings) and its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl

import httpx
from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.access_log import install_log_redaction
from app.api.body_limit import BodyLimit
from app.api.caching import ConditionalGet
from app.api.rate_limit import RateLimits
from app.api.routes import (
    api_keys,
    auth,
    changes,
    facilities,
    health,
    ogc,
    regions,
    reports,
    residents,
    vocabulary,
)
from app.api.routes import walking as walking_routes
from app.db.session import create_engine, read_engine
from app.errors import InvalidParam, install_error_handlers, problem_response
from app.services.api_keys import KeyRegistry
from app.services.data_version import DataVersion
from app.services.walking import Walking, load_walking
from app.settings import Settings

DESCRIPTION = """
Where to find elderly care (养老) and care for children under three (托育) under
China's 一老一小 policy. Coordinates: WGS-84 at rest; `coordsys` = wgs84 | gcj02 | bd09
on input and output. Money: integer fen. Errors: application/problem+json.
Sample data: facilities whose names end in （示例） are synthetic examples.
"""


class RejectNulInQuery:
    """Refuse NUL characters in the query string before any route sees them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and b"%00" in scope.get("query_string", b""):
            pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            names = sorted({k for k, v in pairs if "\x00" in k or "\x00" in v}) or ["query"]
            response = problem_response(
                400,
                "bad-request",
                "Invalid request",
                f"{names[0]}: must not contain NUL characters",
                params=[
                    InvalidParam(
                        name=n.replace("\x00", ""), reason="must not contain NUL characters"
                    )
                    for n in names
                ],
                instance=scope.get("path"),
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def create_app(
    settings: Settings | None = None,
    walking_state: Walking | None = None,
    http_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The application; `walking_state` may be given prebuilt (tests share one across apps),
    `http_transport` carries outgoing calls (WeChat; tests fake it with MockTransport)."""
    settings = settings or Settings()
    install_log_redaction()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.write_engine = create_engine(settings)
        app.state.engine = read_engine(app.state.write_engine)
        registry.bind(app.state.engine)
        data_version.bind(app.state.engine)
        app.state.walking = walking_state or await load_walking(
            app.state.engine,
            settings.config_dir,
            max_snap_m=settings.walk_max_snap_m,
            max_search_minutes=settings.walk_max_search_minutes,
            max_contour_minutes=settings.walk_max_contour_minutes,
        )
        app.state.http = httpx.AsyncClient(transport=http_transport, timeout=5.0)
        try:
            yield
        finally:
            await app.state.http.aclose()
            await app.state.write_engine.dispose()

    app = FastAPI(
        title="一老一小 service finder",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    registry = KeyRegistry(
        ttl_s=settings.api_key_cache_ttl_s,
        anonymous_rate_per_minute=settings.anonymous_rate_per_minute,
        anonymous_burst=settings.anonymous_burst,
    )
    app.state.key_registry = registry
    data_version = DataVersion(ttl_s=settings.cache_version_ttl_s)
    install_error_handlers(app)
    for module in (
        facilities,
        walking_routes,
        regions,
        vocabulary,
        changes,
        auth,
        api_keys,
        residents,
        reports,
        ogc,
        health,
    ):
        app.include_router(module.router)
    app.add_middleware(
        ConditionalGet,
        max_age_s=settings.cache_max_age_s,
        version=data_version,
        salt=f"{app.version}|{settings.model_dump_json()}",
    )
    if settings.rate_limits_enabled:
        app.add_middleware(RateLimits, registry=registry)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RejectNulInQuery)
    return app
