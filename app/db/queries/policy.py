"""Rule-set versions (append-only) and the facility facts that price checks need."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db.keys import of_facility
from app.db.models import Facility, FacilityPrice, PolicyRuleset, StaffAccount

V = PolicyRuleset.__table__.c
F = Facility.__table__.c
P = FacilityPrice.__table__.c
S = StaffAccount.__table__.c

VERSION_COLUMNS = (
    V.id,
    V.city_code,
    V.city_name_zh,
    V.version_number,
    V.version_label,
    V.effective_from,
    V.effective_to,
    V.filename,
    V.content_sha256,
    V.published_via,
    V.published_at,
    S.username.label("published_by"),
)
PRICING_COLUMNS = (F.id, F.public_id, F.name, F.puhui, F.ownership, F.kinds, F.city_code)
REGION_COLUMN = {
    "city": F.city_code,
    "county": F.county_code,
    "township": F.township_code,
    "community": F.community_code,
}


async def versions(conn: AsyncConnection, city_code: str | None = None) -> Sequence[Any]:
    """Stored versions (without their text), by city then version number."""
    stmt = (
        select(*VERSION_COLUMNS)
        .outerjoin(StaffAccount.__table__, S.id == V.published_by)
        .order_by(V.city_code, V.version_number)
    )
    if city_code is not None:
        stmt = stmt.where(V.city_code == city_code)
    return (await conn.execute(stmt)).all()


async def version_text(conn: AsyncConnection, city_code: str, number: int) -> str | None:
    """The rule file of one version, verbatim."""
    stmt = select(V.rule_text).where(V.city_code == city_code, V.version_number == number)
    return (await conn.execute(stmt)).scalar_one_or_none()


async def texts_by_digest(conn: AsyncConnection, digests: Sequence[str]) -> dict[str, str]:
    """Rule-file texts by their SHA-256, for the versions a cache does not hold yet."""
    stmt = select(V.content_sha256, V.rule_text).where(V.content_sha256.in_(list(digests)))
    return {row.content_sha256: row.rule_text for row in await conn.execute(stmt)}


async def lock_city(conn: AsyncConnection, city_code: str) -> None:
    """Serialise publications of one city until the transaction ends."""
    await conn.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('policy_ruleset:' || :city))"),
        {"city": city_code},
    )


async def next_version_number(conn: AsyncConnection, city_code: str) -> int:
    stmt = select(func.coalesce(func.max(V.version_number), 0) + 1).where(V.city_code == city_code)
    return int((await conn.execute(stmt)).scalar_one())


async def insert_version(conn: AsyncConnection, values: dict[str, Any]) -> int:
    """Store one version; the caller holds `lock_city` and writes the audit event."""
    stmt = insert(PolicyRuleset).values(**values).returning(V.id)
    return int((await conn.execute(stmt)).scalar_one())


async def facility_for_pricing(conn: AsyncConnection, public_id: str) -> Any | None:
    """A live facility's pricing facts, with `puhui_certified_on`."""
    stmt = select(*PRICING_COLUMNS, F.puhui_certified_on).where(
        F.public_id == public_id, F.deleted_at.is_(None)
    )
    return (await conn.execute(stmt)).first()


async def prices_of(conn: AsyncConnection, facility_ids: Sequence[int]) -> Sequence[Any]:
    """Listed prices of these facilities, in listing order."""
    stmt = (
        select(P.facility_id, P.item, P.amount_fen, P.unit, P.puhui)
        .where(P.facility_id.in_(list(facility_ids)))
        .order_by(P.facility_id, P.id)
    )
    return (await conn.execute(stmt)).all()


async def puhui_facilities_in_region(
    conn: AsyncConnection, region_code: str, level: str
) -> Sequence[Any]:
    """Live 普惠 facilities with at least one 普惠 listed price, in a region, by public id."""
    has_price = select(P.id).where(of_facility(P), P.puhui.is_(True)).exists()
    stmt = (
        select(*PRICING_COLUMNS, F.puhui_certified_on)
        .where(
            REGION_COLUMN[level] == region_code,
            F.deleted_at.is_(None),
            F.puhui.is_(True),
            has_price,
        )
        .order_by(F.public_id)
    )
    return (await conn.execute(stmt)).all()
