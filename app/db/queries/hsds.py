"""Reads for the HSDS export: live facilities expanded to one row per kind, and their
prices and opening hours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.models import Facility, FacilityHours, FacilityPrice, Region
from app.db.queries.facilities import filter_clauses, filter_values
from app.domain.filters import FacilityFilter

F = Facility.__table__.c


async def service_rows(
    conn: AsyncConnection, flt: FacilityFilter, limit: int, offset: int
) -> tuple[Sequence[Any], int]:
    """One row per (live facility, kind), ordered by public id then kind, and how many."""
    city = Region.__table__.alias("city")
    county = Region.__table__.alias("county")
    township = Region.__table__.alias("township")
    expanded = (
        select(F.id.label("facility_id"), func.unnest(F.kinds).label("kind"))
        .where(*filter_clauses(flt))
        .subquery("expanded")
    )
    values = filter_values(flt)
    total = (await conn.execute(select(func.count()).select_from(expanded), values)).scalar_one()
    stmt = (
        select(
            Facility.__table__,
            expanded.c.kind,
            spatial.lon_of(F.location).label("lon"),
            spatial.lat_of(F.location).label("lat"),
            city.c.name.label("city_name"),
            county.c.name.label("county_name"),
            township.c.name.label("township_name"),
        )
        .join(expanded, expanded.c.facility_id == F.id)
        .outerjoin(city, city.c.code == F.city_code)
        .outerjoin(county, county.c.code == F.county_code)
        .outerjoin(township, township.c.code == F.township_code)
        .order_by(F.public_id, expanded.c.kind)
        .limit(limit)
        .offset(offset)
    )
    return (await conn.execute(stmt, values)).all(), int(total)


async def prices_and_hours(
    conn: AsyncConnection, facility_ids: Sequence[int]
) -> tuple[dict[int, list[Any]], dict[int, list[Any]]]:
    """Prices and weekly hours (seconds after midnight) of some facilities, by facility id."""
    p = FacilityPrice.__table__.c
    h = FacilityHours.__table__.c
    prices: dict[int, list[Any]] = {i: [] for i in facility_ids}
    hours: dict[int, list[Any]] = {i: [] for i in facility_ids}
    if not facility_ids:
        return prices, hours
    ids = list(facility_ids)
    for row in await conn.execute(
        select(p.facility_id, p.item, p.amount_fen, p.unit, p.puhui)
        .where(p.facility_id.in_(ids))
        .order_by(p.facility_id, p.id)
    ):
        prices[row.facility_id].append(row)
    for row in await conn.execute(
        select(
            h.facility_id,
            h.weekday,
            func.extract("epoch", h.opens).label("opens_s"),
            func.extract("epoch", h.closes).label("closes_s"),
        )
        .where(h.facility_id.in_(ids))
        .order_by(h.facility_id, h.weekday, h.opens)
    ):
        hours[row.facility_id].append(row)
    return prices, hours
