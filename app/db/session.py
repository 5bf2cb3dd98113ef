"""The async engine: asyncpg through SQLAlchemy, one pool per app."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.settings import Settings


def create_engine(settings: Settings) -> AsyncEngine:
    """An engine whose connections carry the statement timeout and no JIT (short queries)."""
    return create_async_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
        pool_timeout=5,
        connect_args={
            "timeout": 5,
            "server_settings": {
                "statement_timeout": str(settings.db_statement_timeout_ms),
                "jit": "off",
                "application_name": "yilao-yixiao",
            },
        },
    )
