"""Prometheus metrics: requests and latency per route, the database pools.

Labels are the route *template* (`/v1/facilities/{public_id}`), the method and the
status class, never a raw path or query string, so no caller's location or id ever
reaches a metric. One registry per app, so tests can build many apps.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """The app's metrics and the registry they live in."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "ylyx_http_requests",
            "HTTP requests answered, by route template, method and status class.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "ylyx_http_request_seconds",
            "Time to answer, by route template and method.",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.jobs = Histogram(
            "ylyx_job_seconds",
            "Duration of analysis jobs and other long computations, by job kind.",
            ["job"],
            buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
            registry=self.registry,
        )

    def observe_job(self, job: str, seconds: float) -> None:
        """One long computation's duration (thread-safe: analyses call it from workers)."""
        self.jobs.labels(job=job).observe(seconds)

    def watch_pools(self, engines: dict[str, AsyncEngine]) -> None:
        self.registry.register(_PoolCollector(engines))

    def exposition(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE)


class _PoolCollector(Collector):
    """Connection-pool gauges read at scrape time."""

    def __init__(self, engines: dict[str, AsyncEngine]) -> None:
        self.engines = engines

    def collect(self) -> Iterable[Metric]:
        in_use = GaugeMetricFamily(
            "ylyx_db_pool_checked_out", "Connections in use, by pool.", labels=["pool"]
        )
        idle = GaugeMetricFamily(
            "ylyx_db_pool_idle", "Connections open and idle, by pool.", labels=["pool"]
        )
        for name, engine in self.engines.items():
            pool = engine.sync_engine.pool
            in_use.add_metric([name], float(getattr(pool, "checkedout", lambda: 0)()))
            idle.add_metric([name], float(getattr(pool, "checkedin", lambda: 0)()))
        yield in_use
        yield idle

    def describe(self) -> Iterable[Metric]:
        return []


class RecordMetrics:
    """ASGI middleware counting and timing every HTTP request by its route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope["method"]
            self.metrics.requests.labels(route, method, f"{status // 100}xx").inc()
            self.metrics.latency.labels(route, method).observe(time.perf_counter() - began)


async def metrics_endpoint(request: Request) -> Response:
    """Prometheus text exposition (not in the OpenAPI document; block it at the proxy)."""
    metrics: Metrics = request.app.state.metrics
    return metrics.exposition()
