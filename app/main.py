"""Composition root: create_app(settings) and its lifespan."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from app.api.access_log import install_log_redaction
from app.api.caching import ConditionalGet
from app.api.guards import RejectLargeBodies, RejectNulInQuery
from app.api.metrics import Metrics, RecordMetrics, metrics_endpoint
from app.api.rate_limit import RateLimits
from app.api.request_id import RequestIds
from app.api.routes import (
    analysis,
    api_keys,
    auth,
    changes,
    facilities,
    health,
    hsds,
    imports,
    mappage,
    ogc,
    policy,
    regions,
    registry,
    reports,
    residents,
    tiles,
    vocabulary,
    webhooks,
)
from app.api.routes import walking as walking_routes
from app.db.session import create_engine, read_engine
from app.errors import install_error_handlers
from app.logs import use_json_logs
from app.services.analysis_state import AnalysisState, load_analysis
from app.services.api_keys import KeyRegistry
from app.services.data_version import DataVersion
from app.services.rulesets import RuleSetCache
from app.services.walking import Walking, load_walking
from app.services.webhook_delivery import WebhookDeliverer, webhook_client
from app.services.webhooks import Resolver, system_resolver
from app.settings import Settings, load_settings

DESCRIPTION = """
Where to find elderly care (养老) and care for children under three (托育) under
China's 一老一小 policy. Coordinates: WGS-84 at rest; `coordsys` = wgs84 | gcj02 | bd09
on input and output. Money: integer fen. Errors: application/problem+json.
Sample data: facilities whose names end in （示例） are synthetic examples.
"""


def create_app(
    settings: Settings | None = None,
    walking_state: Walking | None = None,
    http_transport: httpx.AsyncBaseTransport | None = None,
    analysis_state: AnalysisState | None = None,
    webhook_resolver: Resolver | None = None,
) -> FastAPI:
    """The application; `walking_state` and `analysis_state` may be given prebuilt (tests
    share one across apps), `http_transport` carries outside calls (geocoder, WeChat,
    webhooks; tests fake it) and `webhook_resolver` resolves webhook hosts (tests fake it
    too)."""
    settings = settings or load_settings()
    install_log_redaction()
    if settings.log_format == "json":
        use_json_logs()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.write_engine = create_engine(settings)
        app.state.engine = read_engine(app.state.write_engine)
        key_registry.bind(app.state.engine)
        data_version.bind(app.state.engine)
        replica = settings.replica_database_url
        app.state.replica_engine = (
            read_engine(create_engine(settings, replica)) if replica else app.state.engine
        )
        pools = {"primary": app.state.write_engine}
        if replica:
            pools["replica"] = app.state.replica_engine
        metrics.watch_pools(pools)
        app.state.walking = walking_state or await load_walking(
            app.state.engine,
            settings.config_dir,
            max_snap_m=settings.walk_max_snap_m,
            max_search_minutes=settings.walk_max_search_minutes,
            max_contour_minutes=settings.walk_max_contour_minutes,
        )
        app.state.http = httpx.AsyncClient(
            timeout=settings.geocoder_timeout_s, transport=http_transport
        )
        surfaces = analysis_state or await load_analysis(
            app.state.engine, app.state.walking, settings.config_dir
        )
        app.state.analysis = surfaces.with_limit(
            settings.analysis_max_concurrent, observe=metrics.observe_job
        )
        app.state.webhook_http = webhook_client(http_transport)
        app.state.webhook_deliverer = WebhookDeliverer(
            app.state.write_engine, app.state.webhook_http, app.state.webhook_resolver, settings
        )
        worker = (
            asyncio.create_task(app.state.webhook_deliverer.run_forever())
            if settings.webhook_worker_enabled
            else None
        )
        try:
            yield
        finally:
            if worker is not None:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
            await app.state.webhook_http.aclose()
            await app.state.http.aclose()
            await app.state.write_engine.dispose()
            if replica:
                await app.state.replica_engine.dispose()

    app = FastAPI(
        title="一老一小 service finder",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.webhook_resolver = webhook_resolver or system_resolver
    key_registry = KeyRegistry(
        ttl_s=settings.api_key_cache_ttl_s,
        anonymous_rate_per_minute=settings.anonymous_rate_per_minute,
        anonymous_burst=settings.anonymous_burst,
    )
    app.state.key_registry = key_registry
    data_version = DataVersion(ttl_s=settings.cache_version_ttl_s)
    app.state.rulesets = RuleSetCache()
    metrics = app.state.metrics = Metrics()
    install_error_handlers(app)
    for module in (
        facilities,
        walking_routes,
        analysis,
        regions,
        vocabulary,
        policy,
        auth,
        registry,
        imports,
        changes,
        api_keys,
        webhooks,
        residents,
        reports,
        hsds,
        tiles,
        ogc,
        health,
        mappage,
    ):
        app.include_router(module.router)
    app.mount("/static", mappage.static_files, name="static")
    app.add_middleware(
        ConditionalGet,
        max_age_s=settings.cache_max_age_s,
        version=data_version,
        salt=f"{app.version}|{settings.model_dump_json()}",
    )
    if settings.rate_limits_enabled:
        app.add_middleware(RateLimits, registry=key_registry)
    app.add_middleware(RejectNulInQuery)
    app.add_middleware(
        RejectLargeBodies,
        max_bytes=settings.max_body_bytes,
        larger={"/v1/registry/imports": settings.import_max_bytes},
    )
    if settings.metrics_enabled:
        app.add_middleware(RecordMetrics, metrics=metrics)
        app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    app.add_middleware(RequestIds)  # outermost: every answer and log line carries the id
    _document_400_not_422(app)
    return app


def _document_400_not_422(app: FastAPI) -> None:
    """Validation failures are answered 400 problem+json (app/errors.py), so drop the
    422 responses and their schemas that FastAPI adds to the document by default."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            for operations in document.get("paths", {}).values():
                for operation in operations.values():
                    responses = operation.get("responses", {})
                    if responses.get("422", {}).get("description") == "Validation Error":
                        del responses["422"]
            schemas = document.get("components", {}).get("schemas", {})
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
