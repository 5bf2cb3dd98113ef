"""Registry writes and the staff's reads: one facility (deleted ones too), its prices,
hours, vacancy and price history, and audit events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Text, Time, bindparam, cast, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.keys import FacilityKey, is_facility
from app.db.models import (
    AuditEvent,
    Facility,
    FacilityHours,
    FacilityPrice,
    PriceHistory,
    VacancyReport,
)
from app.db.queries.regions import regions_covering

F = Facility.__table__.c
P = FacilityPrice.__table__.c
H = FacilityHours.__table__.c
A = AuditEvent.__table__.c


def _located(lon: float, lat: float) -> Any:
    return spatial.point(bindparam("lon", lon, type_=Float), bindparam("lat", lat, type_=Float))


async def facility_row(conn: AsyncConnection, public_id: str, *, lock: bool = False) -> Any | None:
    """Every column of one facility, deleted or not, with lon/lat; locked FOR UPDATE if asked."""
    stmt = select(
        Facility.__table__,
        spatial.lon_of(F.location).label("lon"),
        spatial.lat_of(F.location).label("lat"),
    ).where(F.public_id == public_id)
    if lock:
        stmt = stmt.with_for_update(of=Facility.__table__)
    return (await conn.execute(stmt)).first()


async def placement_at(conn: AsyncConnection, lon: float, lat: float) -> dict[str, str]:
    """The codes of the regions covering a WGS-84 point, by level (city, county, …)."""
    return {r.level: r.code for r in await regions_covering(conn, lon, lat)}


async def insert_facility(
    conn: AsyncConnection, values: dict[str, Any], lon: float, lat: float, search_text: str
) -> int:
    stmt = (
        insert(Facility)
        .values(
            **values,
            location=_located(lon, lat),
            search_tokens=func.to_tsvector("simple", search_text),
        )
        .returning(F.id)
    )
    return int((await conn.execute(stmt)).scalar_one())


async def update_facility(
    conn: AsyncConnection,
    facility: FacilityKey,
    values: dict[str, Any],
    *,
    location: tuple[float, float] | None = None,
    search_text: str | None = None,
) -> int:
    """Apply changes, bump the version and `updated_at`; the new version."""
    extra: dict[str, Any] = {"version": F.version + 1, "updated_at": func.now()}
    if location is not None:
        extra["location"] = _located(*location)
    if search_text is not None:
        extra["search_tokens"] = func.to_tsvector("simple", search_text)
    where = is_facility(F, facility, "id")
    stmt = update(Facility).where(where).values(**values, **extra).returning(F.version)
    return int((await conn.execute(stmt)).scalar_one())


async def prices_of(conn: AsyncConnection, facility: FacilityKey) -> list[dict[str, Any]]:
    stmt = select(P.item, P.amount_fen, P.unit, P.puhui).where(is_facility(P, facility))
    return [dict(r._mapping) for r in (await conn.execute(stmt.order_by(P.id))).all()]


async def replace_prices(
    conn: AsyncConnection, facility: FacilityKey, prices: Sequence[dict[str, Any]], actor_id: int
) -> None:
    """The new price list replaces the old; the whole list is kept in price_history."""
    key = {"facility_id": facility.id, "city_code": facility.city_code}
    await conn.execute(delete(FacilityPrice).where(is_facility(P, facility)))
    if prices:
        await conn.execute(insert(FacilityPrice), [{**p, **key} for p in prices])
    await conn.execute(insert(PriceHistory).values(**key, prices=list(prices), actor_id=actor_id))


async def hours_of(conn: AsyncConnection, facility: FacilityKey) -> list[dict[str, Any]]:
    """Weekly hours as seconds after local midnight (24:00 has no Python time)."""
    stmt = select(
        H.weekday,
        func.extract("epoch", H.opens).label("opens_s"),
        func.extract("epoch", H.closes).label("closes_s"),
    ).where(is_facility(H, facility))
    rows = (await conn.execute(stmt.order_by(H.weekday, H.opens))).all()
    return [
        {"weekday": r.weekday, "opens_s": int(r.opens_s), "closes_s": int(r.closes_s)} for r in rows
    ]


async def replace_hours(
    conn: AsyncConnection, facility: FacilityKey, hours: Sequence[tuple[int, str, str]]
) -> None:
    """(weekday, 'HH:MM', 'HH:MM') rows replace the facility's weekly hours."""
    await conn.execute(delete(FacilityHours).where(is_facility(H, facility)))
    if hours:
        await conn.execute(
            insert(FacilityHours).values(
                [
                    {
                        "facility_id": facility.id,
                        "city_code": facility.city_code,
                        "weekday": d,
                        "opens": cast(cast(o, Text), Time),
                        "closes": cast(cast(c, Text), Time),
                    }
                    for d, o, c in hours
                ]
            )
        )


async def insert_vacancy_report(
    conn: AsyncConnection,
    facility: FacilityKey,
    *,
    vacant_beds: int | None,
    vacant_childcare_places: int | None,
    reported_at: datetime,
    actor_id: int,
) -> None:
    await conn.execute(
        insert(VacancyReport).values(
            facility_id=facility.id,
            city_code=facility.city_code,
            vacant_beds=vacant_beds,
            vacant_childcare_places=vacant_childcare_places,
            reported_at=reported_at,
            actor_id=actor_id,
        )
    )


async def vacancy_history(
    conn: AsyncConnection, facility: FacilityKey, limit: int
) -> Sequence[Any]:
    v = VacancyReport.__table__.c
    stmt = (
        select(v.vacant_beds, v.vacant_childcare_places, v.reported_at, v.actor_id)
        .where(is_facility(v, facility))
        .order_by(v.reported_at.desc(), v.id.desc())
        .limit(limit)
    )
    return (await conn.execute(stmt)).all()


async def price_history(conn: AsyncConnection, facility: FacilityKey, limit: int) -> Sequence[Any]:
    h = PriceHistory.__table__.c
    stmt = (
        select(h.prices, h.valid_from, h.actor_id)
        .where(is_facility(h, facility))
        .order_by(h.valid_from.desc(), h.id.desc())
        .limit(limit)
    )
    return (await conn.execute(stmt)).all()


async def audit_events(
    conn: AsyncConnection, object_type: str, object_id: str, limit: int
) -> Sequence[Any]:
    """An object's audit trail, oldest first."""
    stmt = (
        select(A.id, A.at, A.actor_id, A.actor_role, A.action, A.before, A.after)
        .where(A.object_type == object_type, A.object_id == object_id)
        .order_by(A.id)
        .limit(limit)
    )
    return (await conn.execute(stmt)).all()
