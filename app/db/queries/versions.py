"""What the database's data looks like right now, as a token that changes with every commit."""

from __future__ import annotations

from sqlalchemy import Text, cast, func, select
from sqlalchemy.ext.asyncio import AsyncConnection


async def snapshot_token(conn: AsyncConnection) -> str:
    """`pg_current_snapshot()` as text (xmin:xmax:in-progress): it changes whenever a write
    transaction starts or commits, and never for reads."""
    return str((await conn.execute(select(cast(func.pg_current_snapshot(), Text)))).scalar_one())
