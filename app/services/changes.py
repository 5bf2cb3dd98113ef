"""The changes feed a mirror follows: every change to one city's facilities, deletions
included, in the order of the city's sequence, which only grows (see migrations
0004_api_keys and 0006_city_keys for why it never skips)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import changes as cq
from app.services import render


async def changes(
    engine: AsyncEngine, city_code: str, since: int, limit: int, coordsys: str
) -> dict[str, Any]:
    async with engine.connect() as conn:
        rows = await cq.changes_after(conn, city_code, since, limit + 1)
    page = rows[:limit]
    items = [change_item(row, coordsys) for row in page]
    return {
        "since": since,
        "changes": items,
        "next_since": page[-1].seq if page else since,
        "more": len(rows) > limit,
    }


def change_item(row: Any, coordsys: str) -> dict[str, Any]:
    """One entry of the feed (also of a webhook batch): an upsert carries the facility as
    it is now, a deletion only its id."""
    change: dict[str, Any] = {
        "seq": row.seq,
        "id": row.changed_id,
        "changed_at": row.changed_at.isoformat(),
    }
    if row.deleted or row.public_id is None or row.deleted_at is not None:
        change["op"] = "delete"
    else:
        change["op"] = "upsert"
        change["facility"] = render.facility_summary(row, coordsys)
    return change
