"""A resident's precise location is never stored and never logged.

The story: a real uvicorn server (its access log on, every logger at DEBUG, SQLAlchemy's
statement log included) answers searches made at a distinctive point, by GET and by
POST, in WGS-84 and GCJ-02, precise and fuzzy (accuracy_m, fuzzy=true), anonymously and
with an API key, including refused ones.
Then every log line the run produced and every column of every table are scanned: no
coordinate of that point (to 5 decimals, ≈ 1 m) appears in text, and no geometry lies
within 5 m of it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import sql

from app.api.access_log import redact_query
from app.main import create_app
from app.services.walking import Walking
from app.settings import Settings
from geo.coords import to_wgs84
from tests.api.keys import admin_headers, issue_key
from tests.live import serve

HOME = (104.6301357, 30.1278246)  # a field in 雁江区, ≥ 11 m from any road or facility
HOME_GCJ_AS_WGS = to_wgs84(*HOME, "gcj02")  # the same numbers sent as GCJ-02, converted


def traces() -> list[str]:
    """Text that would betray the point: each coordinate to 5 decimals."""
    out = []
    for lon, lat in (HOME, HOME_GCJ_AS_WGS):
        out += [f"{lon:.5f}"[:9], f"{lat:.5f}"[:8]]
    return out


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.formatter_ = logging.Formatter("%(name)s %(levelname)s %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(("httpx", "httpcore")) and record.threadName == "MainThread":
            return  # the test's own HTTP client, not the service
        self.lines.append(self.formatter_.format(record))


@pytest.fixture
def captured_logs() -> Iterator[Captured]:
    root, sqla = logging.getLogger(), logging.getLogger("sqlalchemy")
    handler, levels = Captured(), (root.level, sqla.level)
    # alembic's fileConfig (run by other tests) disables loggers that existed before it
    disabled = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and logger.disabled
    ]
    for logger in disabled:
        logger.disabled = False
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    sqla.setLevel(logging.DEBUG)  # statements, parameters (if not hidden) and rows
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for logger in disabled:
            logger.disabled = True
        root.setLevel(levels[0])
        sqla.setLevel(levels[1])


def searches(base: str, key: str) -> list[int]:
    lon, lat = HOME
    point = {"lon": lon, "lat": lat}
    statuses = []
    with httpx.Client(base_url=base, timeout=30) as http:
        for request in (
            http.build_request("GET", "/v1/facilities/nearby", params=point),
            http.build_request(
                "GET", "/v1/facilities/nearby", params={**point, "coordsys": "gcj02"}
            ),
            http.build_request(
                "GET", "/v1/facilities/nearby", params=point, headers={"X-API-Key": key}
            ),
            http.build_request(
                "GET", "/v1/facilities/nearby", params={**point, "sort": "walk_minutes"}
            ),
            http.build_request("POST", "/v1/facilities/nearby", json={**point, "limit": 3}),
            http.build_request("GET", "/v1/coverage", params={**point, "profile": "older"}),
            http.build_request("POST", "/v1/coverage", json={**point, "coordsys": "gcj02"}),
            http.build_request(
                "GET", "/v1/facilities/nearby", params={**point, "fuzzy": "true", "view": "simple"}
            ),
            http.build_request(
                "POST", "/v1/facilities/nearby", json={**point, "accuracy_m": 2000, "limit": 3}
            ),
            http.build_request("GET", "/v1/coverage", params={**point, "accuracy_m": 1500}),
            http.build_request(
                "POST", "/v1/coverage", json={**point, "coordsys": "gcj02", "fuzzy": True}
            ),
            http.build_request(
                "GET",
                "/v1/facilities/nearby",
                params={**point, "fuzzy": "true", "profile": "older"},
            ),
            http.build_request("GET", "/v1/facilities/nearby", params={**point, "radius_m": 10**9}),
            http.build_request(
                "GET", "/v1/facilities/nearby", params=point, headers={"X-API-Key": "stolen"}
            ),
        ):
            statuses.append(http.send(request).status_code)
    return statuses


def test_no_precise_location_in_any_table_or_log_line(
    settings: Settings, walking_state: Walking, db_dsn: str, captured_logs: Captured
) -> None:
    app = create_app(settings, walking_state=walking_state)
    with TestClient(app) as setup:
        key = issue_key(setup, admin_headers(setup, settings), scopes=["read"])["key"]
    with serve(app, access_log=True) as base:
        statuses = searches(base, key)
    assert statuses == [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 400, 400, 401]

    lines = captured_logs.lines
    access = [line for line in lines if line.startswith("uvicorn.access")]
    assert len(access) == len(statuses) and "lon=~&lat=~" in access[0]
    assert any("sqlalchemy.engine" in line for line in lines), "the SQL log was captured"
    for trace in traces():
        leaked = [line for line in lines if trace in line]
        assert not leaked, (trace, leaked[:3])

    with psycopg.connect(db_dsn) as conn:
        columns = conn.execute(
            """SELECT c.table_name, c.column_name, c.udt_name
               FROM information_schema.columns c
               JOIN information_schema.tables t USING (table_schema, table_name)
               WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'"""
        ).fetchall()
        assert {"audit_event", "api_key", "facility_change"} <= {t for t, _, _ in columns}
        for table, column, udt in columns:
            t, c = sql.Identifier(table), sql.Identifier(column)
            if udt in ("geometry", "geography"):
                shape = sql.SQL(
                    "CASE WHEN ST_Dimension({c}::geometry) = 2 THEN ST_Boundary({c}::geometry)"
                    " ELSE {c}::geometry END"
                ).format(c=c)
                for lon, lat in (HOME, HOME_GCJ_AS_WGS):
                    near = conn.execute(
                        sql.SQL(
                            "SELECT count(*) FROM {t} WHERE ST_DWithin(({shape})::geography,"
                            " ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, 5)"
                        ).format(t=t, shape=shape),
                        [lon, lat],
                    ).fetchone()
                    assert near == (0,), (table, column)
                continue
            found = conn.execute(
                sql.SQL("SELECT count(*) FROM {t} WHERE {c}::text LIKE ANY(%s)").format(t=t, c=c),
                [[f"%{trace}%" for trace in traces()]],
            ).fetchone()
            assert found == (0,), (table, column)


def test_the_access_log_keeps_the_route_and_drops_locations() -> None:
    assert redact_query("/v1/facilities/nearby?lon=104.63&lat=30.12&kind=meal_point") == (
        "/v1/facilities/nearby?lon=~&lat=~&kind=meal_point"
    )
    assert redact_query("/v1/x?where=104.630136%2C30.127825&limit=5") == "/v1/x?where=~&limit=5"
    assert redact_query("/v1/regions/512002") == "/v1/regions/512002"
