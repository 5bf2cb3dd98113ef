"""Bulk import through a staging table: COPY the checked rows in, place them in regions,
find duplicates, then insert facilities and their audit events with two statements.

Every statement runs on the caller's connection and transaction: the batch commits
whole or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geoalchemy2 import Geography
from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Integer,
    MetaData,
    Table,
    Text,
    and_,
    func,
    insert,
    literal,
    literal_column,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.models import AuditEvent, Facility, ImportBatch, Region

F = Facility.__table__.c
R = Region.__table__.c
B = ImportBatch.__table__.c

_meta = MetaData()
STAGING = Table(
    "import_row",
    _meta,
    Column("row_no", Integer, primary_key=True),
    Column("public_id", Text),
    Column("name", Text),
    Column("registration_no", Text),
    Column("lon", Float),
    Column("lat", Float),
    Column("record", JSONB),
    Column("document", Text),
    Column("location", Geography("POINT", srid=4326, spatial_index=False)),
    Column("city_code", Text),
    Column("county_code", Text),
    Column("township_code", Text),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
S = STAGING.c
COPY_COLUMNS = (
    "row_no",
    "public_id",
    "name",
    "registration_no",
    "lon",
    "lat",
    "record",
    "document",
)
# Facility columns an import fills from `record` (see jsonb_populate_record below).
RECORD_COLUMNS = (
    "name",
    "kinds",
    "services",
    "operator_name",
    "ownership",
    "address",
    "registration_no",
    "phone",
    "opening_hours_text",
    "beds",
    "nursing_beds",
    "childcare_places",
    "meals_per_day",
    "puhui",
    "puhui_certified_on",
    "elder_min_age_years",
    "child_min_age_months",
    "child_max_age_months",
    "accessibility",
    "grade_scale",
    "grade_value",
    "status",
    "data_source",
)
DUPLICATE_WITHIN_M = 50.0
IMPORT_TIMEOUT = "10min"


@dataclass(frozen=True, slots=True)
class Duplicate:
    row_no: int
    column: str
    existing_id: str | None
    same_as_row: int | None


async def stage_rows(conn: AsyncConnection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Create the staging table and COPY rows (in COPY_COLUMNS order; record as JSON text).

    A bulk import is one long transaction: its statements get IMPORT_TIMEOUT, not the
    API's statement timeout.
    """
    await conn.exec_driver_sql(f"SET LOCAL statement_timeout = '{IMPORT_TIMEOUT}'")
    await conn.run_sync(lambda sync: STAGING.create(sync))
    raw = await conn.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
        "import_row", records=rows, columns=COPY_COLUMNS
    )
    await conn.execute(update(STAGING).values(location=spatial.point(S.lon, S.lat)))
    await conn.exec_driver_sql("CREATE INDEX ON import_row USING gist (location)")
    await conn.exec_driver_sql("ANALYZE import_row")


async def place_rows(conn: AsyncConnection) -> None:
    """City, county and township of each staged row, from the township covering its point."""
    township = (
        select(R.code, R.parent_code, R.city_code)
        .where(R.level == "township", spatial.covers(R.boundary, S.location))
        .limit(1)
        .lateral("t")
    )
    placed = (
        select(S.row_no, township.c.code, township.c.parent_code, township.c.city_code)
        .select_from(STAGING.join(township, true()))
        .subquery("placed")
    )
    await conn.execute(
        update(STAGING)
        .where(S.row_no == placed.c.row_no)
        .values(
            township_code=placed.c.code,
            county_code=placed.c.parent_code,
            city_code=placed.c.city_code,
        )
    )


async def misplaced_rows(
    conn: AsyncConnection,
) -> list[tuple[int, str | None, str | None, str | None]]:
    """(row, city, county, township) of every staged row, for the caller's scope check."""
    stmt = select(S.row_no, S.city_code, S.county_code, S.township_code).order_by(S.row_no)
    return [tuple(r) for r in (await conn.execute(stmt)).all()]


async def drop_rows(conn: AsyncConnection, row_numbers: Sequence[int]) -> None:
    if row_numbers:
        await conn.execute(STAGING.delete().where(S.row_no.in_(list(row_numbers))))


async def duplicates(conn: AsyncConnection) -> list[Duplicate]:
    """Rows naming a live facility (same 备案 number, or same name within 50 m) or an
    earlier row of the same file; each row is reported once, the first reason found."""
    live = F.deleted_at.is_(None)
    earlier = STAGING.alias("earlier")
    E = earlier.c
    same_number_live = and_(F.registration_no == S.registration_no, live)
    near_live = and_(
        F.name == S.name, live, spatial.within_m(F.location, S.location, DUPLICATE_WITHIN_M)
    )
    same_number_row = and_(E.row_no < S.row_no, E.registration_no == S.registration_no)
    near_row = and_(
        E.row_no < S.row_no,
        E.name == S.name,
        spatial.within_m(E.location, S.location, DUPLICATE_WITHIN_M),
    )
    found: dict[int, Duplicate] = {}
    for column, on in (("registration_no", same_number_live), ("name", near_live)):
        stmt = select(S.row_no, func.min(F.public_id)).join(Facility.__table__, on)
        for row_no, pid in (await conn.execute(stmt.group_by(S.row_no))).all():
            found.setdefault(row_no, Duplicate(row_no, column, pid, None))
    for column, on in (("registration_no", same_number_row), ("name", near_row)):
        stmt = select(S.row_no, func.min(E.row_no)).join(earlier, on)
        for row_no, first in (await conn.execute(stmt.group_by(S.row_no))).all():
            found.setdefault(row_no, Duplicate(row_no, column, None, first))
    return [found[k] for k in sorted(found)]


async def insert_batch(conn: AsyncConnection, values: dict[str, Any]) -> int:
    return int(
        (await conn.execute(insert(ImportBatch).values(**values).returning(B.id))).scalar_one()
    )


async def batch_by_key(conn: AsyncConnection, key: str) -> Any | None:
    return (
        await conn.execute(select(ImportBatch.__table__).where(B.idempotency_key == key))
    ).first()


async def batch_by_file(conn: AsyncConnection, city_code: str, sha256: str) -> Any | None:
    stmt = select(ImportBatch.__table__).where(B.city_code == city_code, B.file_sha256 == sha256)
    return (await conn.execute(stmt)).first()


async def insert_staged(
    conn: AsyncConnection, batch_id: int, actor_id: int, actor_role: str
) -> int:
    """Facilities from every staged row, and one audit event each; the number inserted.

    `record` holds the row's facility fields as JSON; jsonb_populate_record types them
    by the facility table's own column types.
    """
    r = (
        func.jsonb_populate_record(literal_column("NULL::facility"), S.record)
        .table_valued(*RECORD_COLUMNS)
        .lateral("r")
    )
    placed = ("public_id", "location", "city_code", "county_code", "township_code")
    source = select(
        *[S[c] for c in placed],
        func.to_tsvector("simple", S.document),
        literal(batch_id, BigInteger),
        *[r.c[c] for c in RECORD_COLUMNS],
    ).select_from(STAGING.join(r, true()))
    columns = [*placed, "search_tokens", "import_batch_id", *RECORD_COLUMNS]
    result = await conn.execute(insert(Facility).from_select(columns, source))
    audit = select(
        S.city_code,
        literal(actor_id, BigInteger),
        literal(actor_role, Text),
        literal("import", Text),
        literal("facility", Text),
        S.public_id,
        S.record.concat(func.jsonb_build_object("import_batch", batch_id)),
    )
    await conn.execute(
        insert(AuditEvent).from_select(
            ["city_code", "actor_id", "actor_role", "action", "object_type", "object_id", "after"],
            audit,
        )
    )
    return int(result.rowcount)


async def set_batch_result(
    conn: AsyncConnection, batch_id: int, added: int, report: dict[str, Any]
) -> None:
    stmt = update(ImportBatch).where(B.id == batch_id).values(rows_added=added, report=report)
    await conn.execute(stmt)


async def batch_facility_count(conn: AsyncConnection, batch_id: int) -> int:
    stmt = select(func.count()).where(F.import_batch_id == batch_id)
    return int((await conn.execute(stmt)).scalar_one())
