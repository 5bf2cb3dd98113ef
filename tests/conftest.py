"""A real PostGIS per test: each test gets a database cloned from a template that was
migrated (alembic upgrade head) and loaded with the sample cities once per run.

The cluster comes from TEST_PG_HOST / TEST_PG_PORT, which `make test` sets after
starting a throwaway cluster of its own (.ci/test).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from psycopg import sql

from app.db.session import create_engine
from app.main import create_app
from app.services.analysis_state import AnalysisState, load_analysis
from app.services.walking import Walking, load_walking
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = "ylyx_template"


def _admin_dsn(database: str = "postgres") -> str:
    host = os.environ.get("TEST_PG_HOST")
    port = os.environ.get("TEST_PG_PORT")
    if not host or not port:
        pytest.exit("TEST_PG_HOST/TEST_PG_PORT are not set: run the suite with `make test`", 2)
    return f"postgresql://postgres@{host}:{port}/{database}"


def _url(database: str, driver: str = "psycopg") -> str:
    return _admin_dsn(database).replace("postgresql://", f"postgresql+{driver}://", 1)


def _create_template() -> None:
    from seed.loader import load_sample_cities

    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(TEMPLATE))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = _url(TEMPLATE)
    command.upgrade(config, "head")
    load_sample_cities(_url(TEMPLATE))
    with psycopg.connect(_admin_dsn(TEMPLATE), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


@pytest.fixture(scope="session")
def template_db() -> str:
    _create_template()
    return TEMPLATE


@pytest.fixture
def db_name(template_db: str) -> Iterator[str]:
    """A fresh database cloned from the seeded template, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template_db)
            )
        )
    try:
        yield name
    finally:
        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def db_dsn(db_name: str) -> str:
    """libpq DSN of this test's database (for direct SQL in tests)."""
    return _admin_dsn(db_name)


@pytest.fixture
def settings(db_name: str) -> Settings:
    # The sample's vacancies are dated October 2026; a long age keeps answers independent
    # of the day the suite runs (test_vacancy_freshness sets its own). Webhook tests
    # drive deliveries themselves (tests/api/test_webhooks.py), so the worker is off.
    return Settings(
        database_url=_url(db_name, "asyncpg"),
        cursor_secret="test-secret",
        vacancy_max_age_days=36500,
        webhook_worker_enabled=False,
    )


@pytest.fixture(scope="session")
def walking_state(template_db: str) -> Walking:
    """The walking networks, built once from the template (every clone holds the same)."""
    settings = Settings(database_url=_url(template_db, "asyncpg"))

    async def build() -> Walking:
        engine = create_engine(settings)
        try:
            return await load_walking(
                engine,
                settings.config_dir,
                max_snap_m=settings.walk_max_snap_m,
                max_search_minutes=settings.walk_max_search_minutes,
                max_contour_minutes=settings.walk_max_contour_minutes,
            )
        finally:
            await engine.dispose()

    return asyncio.run(build())


@pytest.fixture(scope="session")
def analysis_state(template_db: str, walking_state: Walking) -> AnalysisState:
    """The population surfaces, built once from the template and the walking networks."""
    settings = Settings(database_url=_url(template_db, "asyncpg"))

    async def build() -> AnalysisState:
        engine = create_engine(settings)
        try:
            return await load_analysis(engine, walking_state, settings.config_dir)
        finally:
            await engine.dispose()

    return asyncio.run(build())


@pytest.fixture
def client(
    settings: Settings, walking_state: Walking, analysis_state: AnalysisState
) -> Iterator[TestClient]:
    app = create_app(settings, walking_state=walking_state, analysis_state=analysis_state)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
