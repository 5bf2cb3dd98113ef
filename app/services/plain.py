"""view=simple: plain-language Chinese blocks (app/domain/plain_zh.py) on facility items."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import facilities as fq
from app.domain.plain_zh import simple_view


async def add_simple(engine: AsyncEngine, items: list[dict[str, Any]]) -> None:
    """Add `simple` to each item (after distances and walking minutes are known)."""
    if not items:
        return
    async with engine.connect() as conn:
        hours = await fq.opening_hours_texts(conn, [i["id"] for i in items])
    for item in items:
        item["simple"] = simple_view(item, hours.get(item["id"]))


def add_simple_detail(detail: dict[str, Any]) -> None:
    """Add `simple` to a facility detail (which carries its own opening-hours text)."""
    detail["simple"] = simple_view(detail, detail.get("opening_hours_text"))
