"""Facility reads: nearby (by spheroidal distance), by id, by region, text search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    Float,
    Integer,
    Select,
    Text,
    Time,
    and_,
    any_,
    bindparam,
    exists,
    false,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.keys import is_facility, of_facility
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
    """WHERE clauses for a filter; every value is a named bind (see `filter_values`)."""
    clauses: list[ColumnElement[bool]] = [F.deleted_at.is_(None)]
    if flt.statuses:
        clauses.append(F.status == any_(bindparam("statuses", type_=ARRAY(Text))))
    if flt.kinds:
        clauses.append(F.kinds.overlap(bindparam("kinds", type_=ARRAY(Text))))
    if flt.services:
        clauses.append(F.services.contains(bindparam("services", type_=ARRAY(Text))))
    if flt.puhui is not None:
        clauses.append(F.puhui == bindparam("puhui", type_=Boolean))
    if flt.has_vacancy is not None:
        vacant = or_(F.vacant_beds > 0, F.vacant_childcare_places > 0)
        if flt.freshness is not None:
            since = bindparam("vacancy_since", type_=DateTime(timezone=True))
            vacant = and_(vacant, F.vacancy_reported_at >= since)
        clauses.append(
            func.coalesce(vacant, false()) if flt.has_vacancy else ~func.coalesce(vacant, false())
        )
    if flt.age_years is not None:
        clauses.append(F.elder_min_age_years <= bindparam("age_years", type_=Integer))
    if flt.age_months is not None:
        months = bindparam("age_months", type_=Integer)
        clauses.append(and_(F.child_min_age_months <= months, F.child_max_age_months >= months))
    if flt.open_at is not None:
        h = FacilityHours.__table__.c
        at = bindparam("open_time", type_=Time)
        clauses.append(
            exists().where(
                of_facility(h),
                h.weekday == bindparam("open_weekday", type_=Integer),
                h.opens <= at,
                h.closes > at,
            )
        )
    if flt.city_code is not None:
        clauses.append(F.city_code == bindparam("city_code", type_=Text))
    return clauses


def filter_values(flt: FacilityFilter) -> dict[str, Any]:
    """The bind values of `_filter_clauses(flt)`, by name."""
    values: dict[str, Any] = {
        "statuses": [str(s) for s in flt.statuses],
        "kinds": list(flt.kinds),
        "services": list(flt.services),
        "puhui": flt.puhui,
        "age_years": flt.age_years,
        "age_months": flt.age_months,
        "city_code": flt.city_code,
    }
    if flt.freshness is not None:
        values["vacancy_since"] = flt.freshness.since
    if flt.open_at is not None:
        values["open_weekday"] = flt.open_at.weekday
        values["open_time"] = flt.open_at.at
    return values


def _filter_shape(flt: FacilityFilter) -> tuple[object, ...]:
    """What decides the text of `_filter_clauses(flt)` (not its values)."""
    return (
        bool(flt.statuses),
        bool(flt.kinds),
        bool(flt.services),
        flt.puhui is not None,
        flt.has_vacancy,
        flt.freshness is not None,
        flt.age_years is not None,
        flt.age_months is not None,
        flt.open_at is not None,
        flt.city_code is not None,
    )


def nearby_select(flt: FacilityFilter, *, paged: bool) -> Select[Any]:
    """Facilities within `:radius_m` of (`:lon`, `:lat`), nearest first, each row with the total.

    Ordered by spheroidal distance then public id (a total order for keyset paging,
    `:after_distance`, `:after_id` when `paged`); at most `:limit` rows. The radius
    test uses the GiST index on `location`. Values come from `nearby_values`.
    """
    origin = spatial.point(bindparam("lon", type_=Float), bindparam("lat", type_=Float))
    dist = spatial.distance_m(F.location, origin)
    where = [
        spatial.within_m(F.location, origin, bindparam("radius_m", type_=Float)),
        *_filter_clauses(flt),
    ]
    total = select(func.count()).select_from(Facility.__table__).where(*where).scalar_subquery()
    page_where = list(where)
    if paged:
        after = (bindparam("after_distance", type_=Float), bindparam("after_id", type_=Text))
        page_where.append(tuple_(dist, F.public_id) > tuple_(*after))
    return (
        select(*SUMMARY_COLUMNS, dist.label("distance_m"), total.label("total"))
        .where(*page_where)
        .order_by(dist, F.public_id)
        .limit(bindparam("limit", type_=Integer))
    )


def nearby_values(
    lon: float,
    lat: float,
    radius_m: float,
    flt: FacilityFilter,
    limit: int,
    after: tuple[float, str] | None = None,
) -> dict[str, Any]:
    """The bind values of `nearby_select`, by name."""
    values: dict[str, Any] = {"lon": lon, "lat": lat, "radius_m": float(radius_m), "limit": limit}
    values.update(filter_values(flt))
    if after is not None:
        values["after_distance"], values["after_id"] = after
    return values


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """A statement compiled once to asyncpg's `$1…$n`, with its bind names in order.

    `constants` are binds the statement fixes itself (an SRID, say), not per request.
    """

    sql: str
    names: tuple[str, ...]
    constants: dict[str, Any]

    @classmethod
    def of(cls, statement: Select[Any], dialect: Dialect) -> CompiledQuery:
        compiled = statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or ())
        constants = {n: v for n, v in compiled.params.items() if v is not None}
        return cls(compiled.string, names, constants)

    def arguments(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(values[n] if n in values else self.constants[n] for n in self.names)


_NEARBY: dict[tuple[object, ...], CompiledQuery] = {}


def compiled_nearby(flt: FacilityFilter, *, paged: bool, dialect: Dialect) -> CompiledQuery:
    """`nearby_select` compiled once per filter shape (≤ a few hundred shapes exist)."""
    key = (_filter_shape(flt), paged, dialect.name, dialect.driver)
    found = _NEARBY.get(key)
    if found is None:
        found = _NEARBY[key] = CompiledQuery.of(nearby_select(flt, paged=paged), dialect)
    return found


async def facilities_near(
    conn: AsyncConnection,
    lon: float,
    lat: float,
    radius_m: float,
    flt: FacilityFilter,
    limit: int,
    after: tuple[float, str] | None = None,
) -> NearbyPage:
    """Run `nearby_select`; the total comes from the first row (or a count when empty).

    The statement is compiled once per filter shape and run as driver SQL, so a
    request pays neither statement building nor SQLAlchemy's cache-key walk.
    """
    values = nearby_values(lon, lat, radius_m, flt, limit, after)
    query = compiled_nearby(flt, paged=after is not None, dialect=conn.dialect)
    rows = (await conn.exec_driver_sql(query.sql, query.arguments(values))).all()
    if rows:
        return NearbyPage(rows, int(rows[0].total))
    if after is None:
        return NearbyPage(rows, 0)
    values["limit"] = 1
    query = compiled_nearby(flt, paged=False, dialect=conn.dialect)
    first = (await conn.exec_driver_sql(query.sql, query.arguments(values))).first()
    return NearbyPage(rows, 0 if first is None else int(first.total))


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
            select(p.item, p.amount_fen, p.unit, p.puhui).where(is_facility(p, row)).order_by(p.id)
        )
    ).all()
    h = FacilityHours.__table__.c
    hours_stmt = (
        select(
            h.weekday,
            func.extract("epoch", h.opens).label("opens_s"),
            func.extract("epoch", h.closes).label("closes_s"),  # 24:00 has no Python time
        )
        .where(is_facility(h, row))
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
    values = filter_values(flt)
    rows = (await conn.execute(stmt, values)).all()
    if rows:
        return NearbyPage(rows, int(rows[0].total))
    return NearbyPage(rows, int((await conn.execute(select(total), values)).scalar_one()))


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
    return (await conn.execute(stmt, filter_values(flt))).all()


filter_clauses = _filter_clauses


async def opening_hours_texts(conn: AsyncConnection, public_ids: Sequence[str]) -> dict[str, str]:
    """The opening-hours text of each live facility that has one, by public id."""
    if not public_ids:
        return {}
    stmt = select(F.public_id, F.opening_hours_text).where(
        F.public_id == any_(bindparam("ids", list(public_ids), type_=ARRAY(Text))),
        F.deleted_at.is_(None),
        F.opening_hours_text.is_not(None),
    )
    return {r.public_id: r.opening_hours_text for r in (await conn.execute(stmt)).all()}
