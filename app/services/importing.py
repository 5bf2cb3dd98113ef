"""Bulk import of facilities: check every row, report, and commit all or nothing.

A dry run does everything a commit does inside one transaction and rolls it back.
A commit refuses a file with any invalid row unless `valid_rows_only`; duplicates
(same 备案 number, or same name within 50 m, of a live facility or an earlier row)
are reported and skipped. The batch row, its facilities and one audit event per
facility commit together; the same file (or idempotency key) twice adds nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.db.queries import importing as iq
from app.db.queries.staff import insert_audit
from app.domain.facility_record import FieldError, LocationError, check_values, located
from app.domain.import_cells import parse_cells
from app.domain.import_files import FileError, FileFormat, read_table
from app.domain.roles import Placement
from app.domain.search_text import facility_document
from app.errors import BadRequest, Conflict, InvalidParam, InvalidRows, PayloadTooLarge
from app.services.geocoding import Geocoding
from app.services.staff import StaffIdentity

REPORTED_PROBLEMS = 1000  # rows listed in a 422; the dry-run report lists them all


@dataclass(frozen=True, slots=True)
class ImportRequest:
    data: bytes
    file_format: FileFormat
    coordsys: str = "gcj02"
    dry_run: bool = True
    valid_rows_only: bool = False
    idempotency_key: str | None = None


@dataclass(slots=True)
class Checked:
    """Rows that passed the checks that need no database, and every problem so far."""

    staged: list[tuple[Any, ...]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    ignored_headers: tuple[str, ...] = ()


def _problem(row: int, error: FieldError) -> dict[str, Any]:
    return {"row": row, "column": error.field, "message": error.message}


def row_public_id(city_code: str, file_sha256: str, row_no: int) -> str:
    """Stable id of an imported row: the same file gives the same ids on a retry."""
    key = f"{city_code}|{file_sha256}|{row_no}".encode()
    return "f_" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:12]


async def check_rows(
    request: ImportRequest, sha256: str, who: StaffIdentity, geocoding: Geocoding | None
) -> Checked:
    """Parse and check every row (types, vocabularies, coordinates); no database yet."""
    try:
        table = read_table(request.data, request.file_format)
    except FileError as exc:
        raise BadRequest("file", str(exc)) from exc
    out = Checked(total=len(table.rows), ignored_headers=table.ignored_headers)
    source = f"import by {who.username} (file sha256 {sha256[:12]})"
    for number, cells in table.rows:
        parsed = parse_cells(cells)
        errors = parsed.errors + check_values(parsed.values, creating=False)
        point = None
        if parsed.lon is not None and parsed.lat is not None:
            try:
                point = located(parsed.lon, parsed.lat, request.coordsys)
            except LocationError as exc:
                errors.append(exc.error)
        elif parsed.lon is None and parsed.lat is None and geocoding is not None and not errors:
            address = parsed.values.get("address")
            found = await geocoding.locate(address) if address else None
            if isinstance(found, tuple):
                point = found
            else:
                errors.append(found or FieldError("address", "缺少经纬度，也没有地址"))
        elif not any(e.field in ("lon", "lat") for e in errors):
            errors.append(FieldError("lon", "缺少经纬度（经度和纬度都要填写）"))
        if errors or point is None:
            out.errors.extend(_problem(number, e) for e in dict.fromkeys(errors))
            continue
        values = {
            "status": "open",
            "services": [],
            "accessibility": [],
            "puhui": False,
            "data_source": source,
            **parsed.values,
        }
        record = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}
        record.update(lon=round(point[0], 7), lat=round(point[1], 7))
        out.staged.append(
            (
                number,
                row_public_id(who.city_code, sha256, number),
                values["name"],
                values.get("registration_no"),
                point[0],
                point[1],
                orjson.dumps(record).decode(),
                facility_document(values["name"], values.get("address"), values["kinds"]),
            )
        )
    return out


async def _place_and_deduplicate(
    conn: AsyncConnection, who: StaffIdentity, checked: Checked
) -> list[dict[str, Any]]:
    """Stage the rows, drop those outside the city or scope (as errors), report duplicates."""
    await iq.stage_rows(conn, checked.staged)
    await iq.place_rows(conn)
    outside = []
    for row_no, city, county, township in await iq.misplaced_rows(conn):
        if city is None or city != who.city_code:
            message = f"坐标不在本市（{who.city_code}）的任何乡镇街道内"
        elif not who.may_reach(Placement("", city, county, township)):
            message = "坐标超出您的管辖范围"
        else:
            continue
        outside.append(row_no)
        checked.errors.append({"row": row_no, "column": "lon", "message": message})
    await iq.drop_rows(conn, outside)
    found = await iq.duplicates(conn)
    await iq.drop_rows(conn, [d.row_no for d in found])
    checked.errors.sort(key=lambda e: (e["row"], e["column"]))
    return [
        {
            "row": d.row_no,
            "column": d.column,
            "message": (
                f"与已有设施 {d.existing_id} 重复"
                if d.existing_id
                else f"与第 {d.same_as_row} 行重复"
            )
            + ("（备案号相同）" if d.column == "registration_no" else "（同名且相距 50 米内）"),
            "existing_id": d.existing_id,
            "same_as_row": d.same_as_row,
        }
        for d in found
    ]


def _report(
    request: ImportRequest, sha256: str, checked: Checked, dupes: list[dict[str, Any]]
) -> dict[str, Any]:
    invalid = len({e["row"] for e in checked.errors})
    return {
        "file_sha256": sha256,
        "format": request.file_format,
        "coordsys": request.coordsys,
        "dry_run": request.dry_run,
        "rows_total": checked.total,
        "rows_invalid": invalid,
        "rows_duplicate": len(dupes),
        "rows_to_add": checked.total - invalid - len(dupes),
        "rows_added": 0,
        "committed": False,
        "batch_id": None,
        "already_imported": False,
        "ignored_headers": list(checked.ignored_headers),
        "errors": checked.errors,
        "duplicates": dupes,
    }


async def _earlier(
    engine: AsyncEngine, who: StaffIdentity, request: ImportRequest, sha256: str
) -> dict[str, Any] | None:
    """The report of a batch this key or this file already committed, if any."""
    async with engine.connect() as conn:
        batch = None
        if request.idempotency_key:
            batch = await iq.batch_by_key(conn, request.idempotency_key)
            if batch is not None and batch.file_sha256 != sha256:
                raise Conflict("this Idempotency-Key was used for a different file")
        batch = batch or await iq.batch_by_file(conn, who.city_code, sha256)
    if batch is None:
        return None
    return {**batch.report, "rows_added": 0, "already_imported": True, "dry_run": request.dry_run}


async def import_facilities(
    engine: AsyncEngine,
    who: StaffIdentity,
    request: ImportRequest,
    *,
    max_bytes: int,
    geocoding: Geocoding | None = None,
) -> dict[str, Any]:
    """Check, report and (unless a dry run) commit a file of facilities."""
    if len(request.data) > max_bytes:
        raise PayloadTooLarge(f"the file has {len(request.data)} bytes; at most {max_bytes}")
    sha256 = hashlib.sha256(request.data).hexdigest()
    earlier = await _earlier(engine, who, request, sha256)
    if earlier is not None:
        return earlier
    checked = await check_rows(request, sha256, who, geocoding)
    try:
        async with engine.begin() as conn:
            dupes = await _place_and_deduplicate(conn, who, checked) if checked.staged else []
            report = _report(request, sha256, checked, dupes)
            if request.dry_run:
                await conn.rollback()
                return report
            if checked.errors and not request.valid_rows_only:
                raise _invalid_rows(checked.errors)
            batch_id = await iq.insert_batch(
                conn,
                {
                    "idempotency_key": request.idempotency_key,
                    "file_sha256": sha256,
                    "city_code": who.city_code,
                    "actor_id": who.id,
                    "file_format": request.file_format,
                    "coordsys": request.coordsys,
                    "rows_total": checked.total,
                    "rows_added": 0,
                    "report": {},
                },
            )
            added = (
                await iq.insert_staged(conn, batch_id, who.id, who.audit_role)
                if (report["rows_to_add"])
                else 0
            )
            report.update(rows_added=added, committed=True, batch_id=batch_id)
            await iq.set_batch_result(conn, batch_id, added, report)
            await _audit_batch(conn, who, batch_id, report)
    except IntegrityError as exc:
        # A concurrent retry with the same key or file committed first.
        earlier = await _earlier(engine, who, request, sha256)
        if earlier is not None:
            return earlier
        raise Conflict("the import conflicts with the registry; nothing was written") from exc
    return report


def _invalid_rows(errors: list[dict[str, Any]]) -> InvalidRows:
    shown = errors[:REPORTED_PROBLEMS]
    problem = InvalidRows(
        f"{len({e['row'] for e in errors})} rows are invalid; nothing was imported. Fix them, "
        "or import with valid_rows_only=true (a dry run lists every problem)",
        params=[
            InvalidParam(name=f"row {e['row']}: {e['column']}", reason=e["message"]) for e in shown
        ],
    )
    return problem


async def _audit_batch(
    conn: AsyncConnection, who: StaffIdentity, batch_id: int, report: dict[str, Any]
) -> None:
    summary = {k: v for k, v in report.items() if k not in ("errors", "duplicates")}
    await insert_audit(
        conn,
        city_code=who.city_code,
        actor_id=who.id,
        actor_role=who.audit_role,
        action="import",
        object_type="import_batch",
        object_id=str(batch_id),
        before=None,
        after=summary,
    )
