"""The facility changes feed: changes after a sequence number, oldest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.models import Facility, FacilityChange
from app.db.queries.facilities import SUMMARY_COLUMNS

C = FacilityChange.__table__.c
F = Facility.__table__.c


async def changes_after(
    conn: AsyncConnection, city_code: str, since: int, limit: int
) -> Sequence[Any]:
    """Up to `limit` of a city's changes with seq > since, each with the facility's current
    row (columns are NULL when the facility is gone)."""
    stmt = (
        select(
            C.seq,
            C.public_id.label("changed_id"),
            C.deleted,
            C.changed_at,
            F.deleted_at,
            *SUMMARY_COLUMNS,
        )
        .select_from(FacilityChange.__table__)
        .outerjoin(Facility.__table__, (F.public_id == C.public_id) & (F.city_code == C.city_code))
        .where(C.city_code == city_code, C.seq > since)
        .order_by(C.seq)
        .limit(limit)
    )
    return (await conn.execute(stmt)).all()
