"""The async engine: asyncpg through SQLAlchemy, one pool per app."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.settings import Settings


def create_engine(settings: Settings) -> AsyncEngine:
    """A transactional engine for writes; see `read_engine` for the read paths.

    Connections carry the statement timeout, no JIT, and custom plans: a generic plan
    for the nearby query scans a whole kind nationally (≈ 10× slower, bench/README.md).
    Disconnects are detected on use and the pool is invalidated, so no pre-ping
    round trip is paid per request. Statement parameters (a resident's coordinates) are
    hidden from SQLAlchemy's logs and error messages.
    """
    return create_async_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_overflow,
        pool_recycle=1800,
        pool_timeout=5,
        hide_parameters=True,
        connect_args={
            "timeout": 5,
            "server_settings": {
                "statement_timeout": str(settings.db_statement_timeout_ms),
                "jit": "off",
                "plan_cache_mode": "force_custom_plan",
                "application_name": "yilao-yixiao",
            },
        },
    )


def read_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool without BEGIN/ROLLBACK round trips, for single-statement reads."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")
