"""Residents, their sessions and favourites, used login codes, and 纠错 reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.keys import FacilityKey, is_facility, of_facility
from app.db.models import (
    Facility,
    FacilityReport,
    Favourite,
    Resident,
    ResidentSession,
    WechatLoginCode,
)

F = Facility.__table__.c
P = FacilityReport.__table__.c
V = Favourite.__table__.c
S = ResidentSession.__table__.c


async def claim_login_code(conn: AsyncConnection, digest: str) -> bool:
    """Record a login code as used; False if it was used before (a replay)."""
    stmt = pg_insert(WechatLoginCode).values(code_sha256=digest).on_conflict_do_nothing()
    return (await conn.execute(stmt)).rowcount == 1


async def resident_for_openid(conn: AsyncConnection, openid_digest: str) -> int:
    """The resident's id, creating them on first sign-in."""
    stmt = (
        pg_insert(Resident)
        .values(openid_sha256=openid_digest)
        .on_conflict_do_update(
            index_elements=["openid_sha256"], set_={"openid_sha256": openid_digest}
        )
        .returning(Resident.__table__.c.id)
    )
    return int((await conn.execute(stmt)).scalar_one())


async def insert_session(
    conn: AsyncConnection, digest: str, resident_id: int, expires_at: datetime
) -> None:
    await conn.execute(
        insert(ResidentSession).values(
            token_sha256=digest, resident_id=resident_id, expires_at=expires_at
        )
    )


async def delete_expired_sessions(conn: AsyncConnection, now: datetime) -> None:
    await conn.execute(delete(ResidentSession).where(S.expires_at <= now))


async def resident_by_session(conn: AsyncConnection, digest: str, now: datetime) -> int | None:
    stmt = select(S.resident_id).where(S.token_sha256 == digest, S.expires_at > now)
    found = (await conn.execute(stmt)).scalar_one_or_none()
    return None if found is None else int(found)


async def delete_resident(conn: AsyncConnection, resident_id: int) -> None:
    """Sessions and favourites go with the row (CASCADE); reports lose the link (SET NULL)."""
    await conn.execute(delete(Resident).where(Resident.__table__.c.id == resident_id))


async def facility_key(conn: AsyncConnection, public_id: str) -> FacilityKey | None:
    stmt = select(F.id, F.city_code).where(F.public_id == public_id, F.deleted_at.is_(None))
    found: FacilityKey | None = (await conn.execute(stmt)).first()
    return found


async def add_favourite(conn: AsyncConnection, resident_id: int, facility: FacilityKey) -> None:
    stmt = pg_insert(Favourite).values(
        resident_id=resident_id, facility_id=facility.id, city_code=facility.city_code
    )
    await conn.execute(stmt.on_conflict_do_nothing())


async def remove_favourite(conn: AsyncConnection, resident_id: int, facility: FacilityKey) -> None:
    await conn.execute(
        delete(Favourite).where(V.resident_id == resident_id, is_facility(V, facility))
    )


async def favourites(conn: AsyncConnection, resident_id: int) -> Sequence[Any]:
    stmt = (
        select(F.public_id, F.name, F.phone, F.address, F.status, V.created_at)
        .join(Facility.__table__, of_facility(V))
        .where(V.resident_id == resident_id, F.deleted_at.is_(None))
        .order_by(V.created_at.desc(), F.public_id)
    )
    return (await conn.execute(stmt)).all()


REPORT_COLUMNS = (
    P.id,
    F.public_id,
    F.name.label("facility_name"),
    P.kind,
    P.note,
    P.status,
    P.created_at,
    P.updated_at,
)


async def insert_report(conn: AsyncConnection, values: dict[str, Any]) -> int:
    stmt = insert(FacilityReport).values(**values).returning(P.id)
    return int((await conn.execute(stmt)).scalar_one())


async def reports_of_resident(conn: AsyncConnection, resident_id: int) -> Sequence[Any]:
    stmt = (
        select(*REPORT_COLUMNS)
        .join(Facility.__table__, of_facility(P))
        .where(P.resident_id == resident_id)
        .order_by(P.id)
    )
    return (await conn.execute(stmt)).all()


def _in_scope(stmt: Any, region_code: str | None, own: frozenset[str] | None) -> Any:
    """Narrowed to a 县/区 or 街道, or to an operator's own facilities (`own`)."""
    if region_code is not None:
        stmt = stmt.where((F.county_code == region_code) | (F.township_code == region_code))
    if own is not None:
        stmt = stmt.where(F.public_id.in_(sorted(own)))
    return stmt


async def report_queue(
    conn: AsyncConnection,
    city_code: str,
    region_code: str | None,
    status: str | None,
    own: frozenset[str] | None = None,
) -> Sequence[Any]:
    """Reports on facilities in the city (and the staff member's 县/区 or 街道, or their own
    facilities for an operator), oldest first."""
    stmt = (
        select(*REPORT_COLUMNS)
        .join(Facility.__table__, of_facility(P))
        .where(P.city_code == city_code)
        .order_by(P.id)
    )
    stmt = _in_scope(stmt, region_code, own)
    if status is not None:
        stmt = stmt.where(P.status == status)
    return (await conn.execute(stmt)).all()


async def report_in_scope(
    conn: AsyncConnection,
    report_id: int,
    city_code: str,
    region_code: str | None,
    own: frozenset[str] | None = None,
) -> Any | None:
    stmt = (
        select(*REPORT_COLUMNS)
        .join(Facility.__table__, of_facility(P))
        .where(P.id == report_id, P.city_code == city_code)
    )
    stmt = _in_scope(stmt, region_code, own)
    return (await conn.execute(stmt)).first()


async def set_report_status(
    conn: AsyncConnection, report_id: int, city_code: str, status: str, at: datetime
) -> None:
    stmt = update(FacilityReport).where(P.id == report_id, P.city_code == city_code)
    await conn.execute(stmt.values(status=status, updated_at=at))
