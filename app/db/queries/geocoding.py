"""Geocoder answers cached per address, and calls counted per provider and day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.models import GeocodeCache, GeocodeUsage

C = GeocodeCache.__table__.c
U = GeocodeUsage.__table__.c


async def cached(
    conn: AsyncConnection, provider: str, address: str
) -> tuple[float | None, float | None] | None:
    """(lon, lat) in WGS-84 as cached, (None, None) for a cached miss, None if never asked."""
    row = (
        await conn.execute(select(C.lon, C.lat).where(C.provider == provider, C.address == address))
    ).first()
    return None if row is None else (row.lon, row.lat)


async def remember(
    conn: AsyncConnection, provider: str, address: str, lon: float | None, lat: float | None
) -> None:
    stmt = insert(GeocodeCache).values(provider=provider, address=address, lon=lon, lat=lat)
    await conn.execute(stmt.on_conflict_do_nothing())


async def take_call(conn: AsyncConnection, provider: str, day: date, quota: int) -> bool:
    """Count one call against the day's quota; False (and nothing counted) when spent."""
    stmt = (
        insert(GeocodeUsage)
        .values(provider=provider, day=day, calls=1)
        .on_conflict_do_update(
            index_elements=[U.provider, U.day],
            set_={"calls": U.calls + 1},
            where=U.calls < quota,
        )
        .returning(U.calls)
    )
    return (await conn.execute(stmt)).first() is not None
