"""Reads for OGC API – Features: facilities and regions as features, with extents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.models import Facility, Region
from app.db.queries.facilities import SUMMARY_COLUMNS

F = Facility.__table__.c
R = Region.__table__.c

Box = tuple[float, float, float, float]


def _facility_where(
    bbox: Box | None, start: datetime | None, end: datetime | None
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [F.deleted_at.is_(None)]
    if bbox is not None:
        where.append(spatial.in_envelope(F.location, spatial.bbox_envelope(*bbox)))
    if start is not None:
        where.append(F.updated_at >= start)
    if end is not None:
        where.append(F.updated_at <= end)
    return where


async def facility_features(
    conn: AsyncConnection,
    bbox: Box | None,
    start: datetime | None,
    end: datetime | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Any], int]:
    """A page of live facilities by public id, and how many match."""
    where = _facility_where(bbox, start, end)
    total = (await conn.execute(select(func.count()).where(*where))).scalar_one()
    stmt = (
        select(*SUMMARY_COLUMNS, F.updated_at)
        .where(*where)
        .order_by(F.public_id)
        .limit(limit)
        .offset(offset)
    )
    return (await conn.execute(stmt)).all(), int(total)


async def facility_feature(conn: AsyncConnection, public_id: str) -> Any | None:
    stmt = select(*SUMMARY_COLUMNS, F.updated_at).where(
        F.public_id == public_id, F.deleted_at.is_(None)
    )
    return (await conn.execute(stmt)).first()


REGION_FEATURE_COLUMNS = (
    R.code,
    R.name,
    R.level,
    R.unit_type,
    R.parent_code,
    R.city_code,
    R.urban_rural,
    R.pop_total,
    R.pop_60p,
    R.pop_0_3,
    spatial.as_geojson(R.boundary).label("geojson"),
)


async def region_features(
    conn: AsyncConnection, bbox: Box | None, limit: int, offset: int
) -> tuple[Sequence[Any], int]:
    where: list[ColumnElement[bool]] = [R.boundary.is_not(None)]
    if bbox is not None:
        where.append(spatial.intersects(R.boundary, spatial.bbox_envelope(*bbox)))
    total = (await conn.execute(select(func.count()).where(*where))).scalar_one()
    stmt = (
        select(*REGION_FEATURE_COLUMNS).where(*where).order_by(R.code).limit(limit).offset(offset)
    )
    return (await conn.execute(stmt)).all(), int(total)


async def region_feature(conn: AsyncConnection, code: str) -> Any | None:
    stmt = select(*REGION_FEATURE_COLUMNS).where(R.code == code, R.boundary.is_not(None))
    return (await conn.execute(stmt)).first()


async def extents(conn: AsyncConnection) -> dict[str, Any]:
    """Spatial extents of both collections and the facilities' temporal extent."""
    facilities = (
        await conn.execute(
            select(
                spatial.extent_of(F.location), func.min(F.updated_at), func.max(F.updated_at)
            ).where(F.deleted_at.is_(None))
        )
    ).one()
    regions = (await conn.execute(select(spatial.extent_of(R.boundary)))).scalar_one()
    return {
        "facilities": (facilities[0], facilities[1], facilities[2]),
        "regions": (regions, None, None),
    }
