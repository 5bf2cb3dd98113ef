"""Live facilities of a city, district or 街道 with the columns an export writes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.models import Facility
from app.db.queries.importing import RECORD_COLUMNS

F = Facility.__table__.c


async def facilities_for_export(
    conn: AsyncConnection, city_code: str, region_code: str | None, limit: int
) -> Sequence[Any]:
    """At most `limit` live facilities of the city (or of one 县/区 or 街道), by public id."""
    stmt = select(
        F.public_id,
        *[F[c] for c in RECORD_COLUMNS],
        spatial.lon_of(F.location).label("lon"),
        spatial.lat_of(F.location).label("lat"),
    ).where(F.city_code == city_code, F.deleted_at.is_(None))
    if region_code is not None:
        stmt = stmt.where((F.county_code == region_code) | (F.township_code == region_code))
    return (await conn.execute(stmt.order_by(F.public_id).limit(limit))).all()
