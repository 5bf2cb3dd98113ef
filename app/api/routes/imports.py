"""Bulk import (dry run or commit) and export of facilities, for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response

from app.api.deps import GeocodingDep, ImporterDep, SettingsDep, WriteEngineDep
from app.api.routes.registry import staff_response
from app.api.schemas.common import CoordSysName
from app.api.schemas.imports import ImportReport
from app.domain.import_files import MEDIA_TYPES, FileFormat
from app.errors import PayloadTooLarge, problem_responses
from app.services import exporting, importing

router = APIRouter(
    prefix="/v1/registry", tags=["import"], responses=problem_responses(401, 403, 409, 413, 422)
)
Format = Annotated[FileFormat, Query(description="csv (UTF-8 or GBK), xlsx or geojson.")]
CoordSys = Annotated[CoordSysName, Query(description="Coordinate system of lon/lat in the file.")]


async def _body(request: Request, max_bytes: int) -> bytes:
    """The upload, refused with 413 as soon as it passes the cap (never held whole)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"the file is larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/imports", operation_id="import_facilities", response_model=ImportReport)
async def import_file(
    request: Request,
    who: ImporterDep,
    engine: WriteEngineDep,
    settings: SettingsDep,
    geocoding: GeocodingDep,
    format: Format,
    coordsys: CoordSys = "gcj02",
    dry_run: Annotated[bool, Query(description="Check and report only.")] = True,
    valid_rows_only: Annotated[
        bool, Query(description="Commit the valid rows even if others are invalid.")
    ] = False,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", max_length=200, description="Retry guard.")
    ] = None,
) -> Response:
    """Import the file in the request body: a report of every bad row (row, column, Chinese
    message) and duplicate; unless a dry run, commit all valid rows or nothing."""
    data = await _body(request, settings.import_max_bytes)
    spec = importing.ImportRequest(
        data, format, coordsys, dry_run, valid_rows_only, idempotency_key
    )
    report = await importing.import_facilities(
        engine, who, spec, max_bytes=settings.import_max_bytes, geocoding=geocoding
    )
    created = report["committed"] and not report["already_imported"]
    return staff_response(report, status=201 if created else 200)


@router.get("/exports", operation_id="export_facilities", response_class=Response)
async def export_file(
    who: ImporterDep,
    engine: WriteEngineDep,
    format: Format,
    coordsys: CoordSys = "gcj02",
    region: Annotated[
        str | None, Query(pattern=r"^\d{6}(\d{3})?$", description="A 县/区 or 街道 code.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200_000)] = 100_000,
) -> Response:
    """Live facilities in your scope, in the import format; formulas neutralised."""
    body = await exporting.export_facilities(engine, who, format, coordsys, region, limit)
    name = f"facilities.{format}"
    return Response(
        body,
        media_type=MEDIA_TYPES[format],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
