"""API keys: insert, look up by digest, list, revoke."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.models import ApiKey

K = ApiKey.__table__.c
LISTED = (
    K.id,
    K.key_prefix,
    K.name,
    K.owner,
    K.city_code,
    K.scopes,
    K.rate_per_minute,
    K.burst,
    K.created_at,
    K.revoked_at,
)


async def insert_key(conn: AsyncConnection, values: dict[str, Any]) -> Any:
    return (await conn.execute(insert(ApiKey).values(**values).returning(*LISTED))).one()


async def active_key_by_digest(conn: AsyncConnection, digest: str) -> Any | None:
    stmt = select(K.id, K.name, K.owner, K.city_code, K.scopes, K.rate_per_minute, K.burst).where(
        K.key_sha256 == digest, K.revoked_at.is_(None)
    )
    return (await conn.execute(stmt)).first()


async def keys_of_city(conn: AsyncConnection, city_code: str) -> list[Any]:
    stmt = select(*LISTED).where(K.city_code == city_code).order_by(K.id)
    return list((await conn.execute(stmt)).all())


async def key_by_id(conn: AsyncConnection, key_id: int) -> Any | None:
    return (await conn.execute(select(*LISTED).where(K.id == key_id))).first()


async def revoke_key(conn: AsyncConnection, key_id: int, at: datetime) -> None:
    await conn.execute(
        update(ApiKey).where(K.id == key_id, K.revoked_at.is_(None)).values(revoked_at=at)
    )
