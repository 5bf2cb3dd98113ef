"""The async engine: asyncpg through SQLAlchemy, one pool per app."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.settings import Settings


def create_engine(settings: Settings, url: str | None = None) -> AsyncEngine:
    """A transactional engine for writes; see `read_engine` for the read paths.

    Connections carry the statement timeout, no JIT, and custom plans: a generic plan
    for the nearby query scans a whole kind nationally (≈ 10× slower, bench/README.md).
    Disconnects are detected on use and the pool is invalidated, so no pre-ping
    round trip is paid per request. `url` overrides DATABASE_URL (the read replica).
    """
    engine = create_async_engine(
        url or settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_overflow,
        pool_recycle=1800,
        pool_timeout=5,
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
    event.listen(engine.sync_engine, "handle_error", _drop_broken_connections)
    return engine


# Errors after which a pooled connection must not be used again: the server went away
# (SQLSTATE 57P01 admin shutdown, 57P02 crash, 57P03 cannot connect now, class 08), or
# the driver's protocol state is unknown. asyncpg only counts a connection as lost once
# its socket is closed, which can be one query too late after a server restart.
_BROKEN_STATES = ("57P", "08")
_BROKEN_DRIVER_ERRORS = ("InternalClientError", "InterfaceError", "ConnectionDoesNotExistError")


def _drop_broken_connections(context: ExceptionContext) -> None:
    """Mark such errors as disconnects, so SQLAlchemy discards the connection and the
    connections pooled before it (they went through the same restart)."""
    error = context.original_exception
    cause = error.__cause__ or error
    state = str(getattr(cause, "sqlstate", "") or "")
    names = {type(error).__name__, type(cause).__name__}
    if state.startswith(_BROKEN_STATES) or names & set(_BROKEN_DRIVER_ERRORS):
        context.is_disconnect = True


def read_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same pool without BEGIN/ROLLBACK round trips, for single-statement reads."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")
