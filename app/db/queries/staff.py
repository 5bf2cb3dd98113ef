"""Staff accounts, tokens and audit events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.keys import of_facility
from app.db.models import AuditEvent, Facility, StaffAccount, StaffFacility, StaffToken

S = StaffAccount.__table__.c
T = StaffToken.__table__.c


async def staff_by_username(conn: AsyncConnection, username: str) -> Any | None:
    return (
        await conn.execute(select(StaffAccount.__table__).where(S.username == username))
    ).first()


async def insert_staff(conn: AsyncConnection, values: dict[str, Any]) -> int:
    stmt = insert(StaffAccount).values(**values).returning(S.id)
    return int((await conn.execute(stmt)).scalar_one())


async def link_facilities(
    conn: AsyncConnection, staff_id: int, city_code: str, public_ids: Sequence[str]
) -> list[str]:
    """Make an operator answer for these facilities of their city; the public ids found."""
    if not public_ids:
        return []
    f = Facility.__table__.c
    found = select(literal(staff_id), f.id, f.city_code).where(
        f.public_id.in_(list(public_ids)), f.city_code == city_code
    )
    stmt = (
        insert(StaffFacility)
        .from_select(["staff_id", "facility_id", "city_code"], found)
        .returning(StaffFacility.__table__.c.facility_id)
    )
    ids = [r[0] for r in (await conn.execute(stmt)).all()]
    named = select(f.public_id).where(f.id.in_(ids), f.city_code == city_code)
    return [r[0] for r in (await conn.execute(named)).all()]


async def staff_facilities(conn: AsyncConnection, staff_id: int) -> list[str]:
    """Public ids of the facilities an operator answers for."""
    f = Facility.__table__.c
    sf = StaffFacility.__table__.c
    stmt = select(f.public_id).join(StaffFacility.__table__, of_facility(sf))
    return [r[0] for r in (await conn.execute(stmt.where(sf.staff_id == staff_id))).all()]


async def insert_token(
    conn: AsyncConnection, digest: str, staff_id: int, expires_at: datetime
) -> None:
    await conn.execute(
        insert(StaffToken).values(token_sha256=digest, staff_id=staff_id, expires_at=expires_at)
    )


async def staff_by_token(conn: AsyncConnection, digest: str, now: datetime) -> Any | None:
    stmt = (
        select(S.id, S.username, S.role, S.city_code, S.region_code)
        .join(StaffToken.__table__, T.staff_id == S.id)
        .where(T.token_sha256 == digest, T.expires_at > now, S.active.is_(True))
    )
    return (await conn.execute(stmt)).first()


async def delete_expired_tokens(conn: AsyncConnection, now: datetime) -> None:
    await conn.execute(delete(StaffToken).where(T.expires_at <= now))


async def insert_audit(
    conn: AsyncConnection,
    *,
    city_code: str,
    actor_id: int | None,
    actor_role: str | None,
    action: str,
    object_type: str,
    object_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Record one event; call inside the transaction of the change it describes."""
    await conn.execute(
        insert(AuditEvent).values(
            city_code=city_code,
            actor_id=actor_id,
            actor_role=actor_role,
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=before,
            after=after,
        )
    )
