"""Reads for the planning analyses: regions with census figures, live facilities by kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Text, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.models import Facility, Region
from app.domain.vocabulary import FacilityStatus

R = Region.__table__.c
F = Facility.__table__.c


async def city_regions(conn: AsyncConnection, city_code: str) -> Sequence[Any]:
    """Every region of a city with its census figures; townships carry their boundary (WKB)."""
    stmt = select(
        R.code,
        R.name,
        R.level,
        R.unit_type,
        R.parent_code,
        R.urban_rural,
        R.pop_total,
        R.pop_60p,
        R.pop_0_3,
        spatial.as_wkb(R.boundary).label("wkb"),
    ).where(R.city_code == city_code)
    return (await conn.execute(stmt.order_by(R.code))).all()


async def analysis_cities(conn: AsyncConnection) -> list[str]:
    """Cities that have townships (the surface is built per city)."""
    stmt = select(R.city_code).where(R.level == "township").distinct().order_by(R.city_code)
    return [r[0] for r in await conn.execute(stmt)]


def _open() -> Any:
    """Only open sites serve residents today: planned, building or suspended ones do not."""
    return F.status == bindparam("open_status", str(FacilityStatus.open))


async def open_facilities_of_kinds(
    conn: AsyncConnection, city_code: str, kinds: Sequence[str]
) -> Sequence[Any]:
    """Open facilities of any of these kinds in a city, ordered by public id."""
    stmt = select(
        F.public_id,
        F.name,
        F.kinds,
        spatial.lon_of(F.location).label("lon"),
        spatial.lat_of(F.location).label("lat"),
    ).where(
        F.city_code == city_code,
        F.deleted_at.is_(None),
        _open(),
        F.kinds.overlap(bindparam("kinds", list(kinds), type_=ARRAY(Text))),
    )
    return (await conn.execute(stmt.order_by(F.public_id))).all()


async def facility_capacities(conn: AsyncConnection, city_code: str) -> Sequence[Any]:
    """Open facilities of a city with the figures the indicators count."""
    stmt = select(
        F.public_id,
        F.kinds,
        F.county_code,
        F.township_code,
        F.community_code,
        F.beds,
        F.nursing_beds,
        F.childcare_places,
        F.puhui,
    ).where(F.city_code == city_code, F.deleted_at.is_(None), _open())
    return (await conn.execute(stmt.order_by(F.public_id))).all()


async def region_boundaries(conn: AsyncConnection, codes: Sequence[str]) -> dict[str, str]:
    """GeoJSON text of each region's boundary (WGS-84), by code."""
    stmt = select(R.code, spatial.as_geojson(R.boundary).label("geojson")).where(
        R.code.in_(bindparam("codes", list(codes), expanding=True)), R.boundary.is_not(None)
    )
    return {r.code: r.geojson for r in await conn.execute(stmt)}
