"""Region reads: list, detail with boundary, which region covers a point."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.models import Facility, Region
from app.db.queries.facilities import CompiledQuery

R = Region.__table__.c

REGION_COLUMNS = (
    R.code,
    R.name,
    R.level,
    R.unit_type,
    R.parent_code,
    R.city_code,
    R.urban_rural,
    R.pop_total,
    R.pop_60p,
    R.pop_65p,
    R.pop_0_3,
    R.pop_source,
    R.boundary_source,
    spatial.lon_of(R.seat).label("seat_lon"),
    spatial.lat_of(R.seat).label("seat_lat"),
)


async def regions(
    conn: AsyncConnection,
    level: str | None,
    parent_code: str | None,
    city_code: str | None,
    name_part: str | None = None,
) -> Sequence[Any]:
    """Regions by level, parent, city and a part of the name (LIKE wildcards escaped)."""
    stmt = select(*REGION_COLUMNS).order_by(R.code)
    if name_part:
        stmt = stmt.where(R.name.contains(name_part, autoescape=True))
    if level is not None:
        stmt = stmt.where(R.level == level)
    if parent_code is not None:
        stmt = stmt.where(R.parent_code == parent_code)
    if city_code is not None:
        stmt = stmt.where(R.city_code == city_code)
    return (await conn.execute(stmt)).all()


async def region_detail(conn: AsyncConnection, code: str, with_boundary: bool) -> Any | None:
    columns = [*REGION_COLUMNS, spatial.area_km2(R.boundary).label("area_km2")]
    if with_boundary:
        columns.append(spatial.as_geojson(R.boundary).label("boundary_geojson"))
    return (await conn.execute(select(*columns).where(R.code == code))).first()


async def region_exists(conn: AsyncConnection, code: str) -> str | None:
    """The level of the region with this code, or None."""
    return (await conn.execute(select(R.level).where(R.code == code))).scalar_one_or_none()


_COVERING: dict[tuple[str, str], CompiledQuery] = {}


async def regions_covering(conn: AsyncConnection, lon: float, lat: float) -> Sequence[Any]:
    """Every region whose boundary covers the point, largest level first (compiled once)."""
    key = (conn.dialect.name, conn.dialect.driver)
    query = _COVERING.get(key)
    if query is None:
        origin = spatial.point(bindparam("lon"), bindparam("lat"))
        stmt = (
            select(R.code, R.name, R.level, R.urban_rural)
            .where(spatial.covers(R.boundary, origin))
            .order_by(R.code)
        )
        query = _COVERING[key] = CompiledQuery.of(stmt, conn.dialect)
    values = {"lon": lon, "lat": lat}
    return (await conn.exec_driver_sql(query.sql, query.arguments(values))).all()


async def facility_count(conn: AsyncConnection) -> int:
    """Live facilities, for readiness and the landing page."""
    f = Facility.__table__.c
    stmt = select(func.count()).where(f.deleted_at.is_(None))
    return int((await conn.execute(stmt)).scalar_one())
