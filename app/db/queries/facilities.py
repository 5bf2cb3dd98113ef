"""Facility reads: nearby (by spheroidal distance), by id, by region, text search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    any_,
    bindparam,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.models import Facility, FacilityHours, FacilityPrice, Region
from app.domain.filters import FacilityFilter

F = Facility.__table__.c

SUMMARY_COLUMNS = (
    F.id,
    F.public_id,
    F.name,
    F.kinds,
    F.services,
    F.address,
    F.phone,
    F.status,
    F.puhui,
    F.beds,
    F.childcare_places,
    F.vacant_beds,
    F.vacant_childcare_places,
    F.vacancy_reported_at,
    F.township_code,
    F.is_sample,
    spatial.lon_of(F.location).label("lon"),
    spatial.lat_of(F.location).label("lat"),
)


@dataclass(frozen=True, slots=True)
class NearbyPage:
    rows: Sequence[Any]
    total: int


def _filter_clauses(flt: FacilityFilter) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [F.deleted_at.is_(None)]
    if flt.statuses:
        statuses = bindparam("statuses", [str(s) for s in flt.statuses], type_=ARRAY(Text))
        clauses.append(F.status == any_(statuses))
    if flt.kinds:
        clauses.append(F.kinds.overlap(bindparam("kinds", list(flt.kinds), type_=ARRAY(Text))))
    if flt.services:
        clauses.append(
            F.services.contains(bindparam("services", list(flt.services), type_=ARRAY(Text)))
        )
    if flt.puhui is not None:
        clauses.append(F.puhui.is_(flt.puhui))
    if flt.has_vacancy is not None:
        vacant = or_(F.vacant_beds > 0, F.vacant_childcare_places > 0)
        clauses.append(
            func.coalesce(vacant, false()) if flt.has_vacancy else ~func.coalesce(vacant, false())
        )
    if flt.age_years is not None:
        clauses.append(F.elder_min_age_years <= flt.age_years)
    if flt.age_months is not None:
        clauses.append(
            and_(F.child_min_age_months <= flt.age_months, F.child_max_age_months >= flt.age_months)
        )
    if flt.open_at is not None:
        h = FacilityHours.__table__.c
        clauses.append(
            exists().where(
                h.facility_id == F.id,
                h.weekday == flt.open_at.weekday,
                h.opens <= flt.open_at.at,
                h.closes > flt.open_at.at,
            )
        )
    if flt.city_code is not None:
        clauses.append(F.city_code == flt.city_code)
    return clauses


def nearby_select(
    lon: float,
    lat: float,
    radius_m: float,
    flt: FacilityFilter,
    limit: int,
    after: tuple[float, str] | None = None,
) -> Select[Any]:
    """Facilities within `radius_m` of (lon, lat), nearest first, each row with the total.

    Ordered by spheroidal distance then public id (a total order for keyset paging);
    the radius test uses the GiST index on `location`.
    """
    origin = spatial.point(bindparam("lon", lon), bindparam("lat", lat))
    dist = spatial.distance_m(F.location, origin)
    where = [
        spatial.within_m(F.location, origin, bindparam("radius_m", radius_m)),
        *_filter_clauses(flt),
    ]
    total = select(func.count()).select_from(Facility.__table__).where(*where).scalar_subquery()
    page_where = list(where)
    if after is not None:
        page_where.append(tuple_(dist, F.public_id) > tuple_(literal(after[0]), literal(after[1])))
    return (
        select(*SUMMARY_COLUMNS, dist.label("distance_m"), total.label("total"))
        .where(*page_where)
        .order_by(dist, F.public_id)
        .limit(limit)
    )


async def facilities_near(
    conn: AsyncConnection,
    lon: float,
    lat: float,
    radius_m: float,
    flt: FacilityFilter,
    limit: int,
    after: tuple[float, str] | None = None,
) -> NearbyPage:
    """Run `nearby_select`; the total comes from the first row (or a count when empty)."""
    stmt = nearby_select(lon, lat, radius_m, flt, limit, after)
    rows = (await conn.execute(stmt)).all()
    if rows:
        return NearbyPage(rows, int(rows[0].total))
    if after is None:
        return NearbyPage(rows, 0)
    total = (await conn.execute(nearby_select(lon, lat, radius_m, flt, 1))).first()
    return NearbyPage(rows, 0 if total is None else int(total.total))


def nearby_statement_sql() -> Select[Any]:
    """The app's nearby statement with one kind filter, for the benchmark's raw endpoint.

    Bind `lon`, `lat`, `radius_m`, `kinds` (a one-element list), `statuses` and the limit.
    """
    return nearby_select(0.0, 0.0, 0.0, FacilityFilter(kinds=("meal_point",)), 21)


async def facility_detail(
    conn: AsyncConnection, public_id: str
) -> tuple[Any, list[Any], list[Any]] | None:
    """One live facility with its region names, prices and opening hours."""
    township = Region.__table__.alias("township")
    county = Region.__table__.alias("county")
    community = Region.__table__.alias("community")
    stmt = (
        select(
            Facility.__table__,
            spatial.lon_of(F.location).label("lon"),
            spatial.lat_of(F.location).label("lat"),
            township.c.name.label("township_name"),
            township.c.urban_rural.label("urban_rural"),
            county.c.name.label("county_name"),
            community.c.name.label("community_name"),
        )
        .outerjoin(township, township.c.code == F.township_code)
        .outerjoin(county, county.c.code == F.county_code)
        .outerjoin(community, community.c.code == F.community_code)
        .where(F.public_id == public_id, F.deleted_at.is_(None))
    )
    row = (await conn.execute(stmt)).first()
    if row is None:
        return None
    p = FacilityPrice.__table__.c
    prices = (
        await conn.execute(
            select(p.item, p.amount_fen, p.unit, p.puhui)
            .where(p.facility_id == row.id)
            .order_by(p.id)
        )
    ).all()
    h = FacilityHours.__table__.c
    hours_stmt = (
        select(
            h.weekday,
            func.extract("epoch", h.opens).label("opens_s"),
            func.extract("epoch", h.closes).label("closes_s"),  # 24:00 has no Python time
        )
        .where(h.facility_id == row.id)
        .order_by(h.weekday, h.opens)
    )
    hours = (await conn.execute(hours_stmt)).all()
    return row, list(prices), list(hours)


async def facilities_in_region(
    conn: AsyncConnection,
    region_code: str,
    level: str,
    flt: FacilityFilter,
    limit: int,
    after: str | None = None,
) -> NearbyPage:
    """Facilities whose administrative code at `level` is `region_code`, by public id."""
    column = {
        "city": F.city_code,
        "county": F.county_code,
        "township": F.township_code,
        "community": F.community_code,
    }[level]
    where = [column == region_code, *_filter_clauses(flt)]
    total = select(func.count()).select_from(Facility.__table__).where(*where).scalar_subquery()
    page_where = list(where)
    if after is not None:
        page_where.append(F.public_id > after)
    stmt = (
        select(*SUMMARY_COLUMNS, total.label("total"))
        .where(*page_where)
        .order_by(F.public_id)
        .limit(limit)
    )
    rows = (await conn.execute(stmt)).all()
    if rows:
        return NearbyPage(rows, int(rows[0].total))
    return NearbyPage(rows, int((await conn.execute(select(total))).scalar_one()))


async def search_facilities(
    conn: AsyncConnection, terms: Sequence[str], query: str, flt: FacilityFilter, limit: int
) -> Sequence[Any]:
    """Facilities whose name, address or kind names hold every term, best first.

    Rank: the whole query inside the name first, then ts_rank over the bigram
    document, then public id.
    """
    tsquery = func.plainto_tsquery("simple", bindparam("terms", " ".join(terms)))
    name_hit = func.strpos(F.name, bindparam("q", query)) > 0
    rank = func.ts_rank(F.search_tokens, tsquery)
    stmt = (
        select(*SUMMARY_COLUMNS, rank.label("rank"), name_hit.label("name_hit"))
        .where(F.search_tokens.op("@@")(tsquery), *_filter_clauses(flt))
        .order_by(name_hit.desc(), rank.desc(), F.public_id)
        .limit(limit)
    )
    return (await conn.execute(stmt)).all()
