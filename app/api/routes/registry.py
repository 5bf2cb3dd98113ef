"""Staff registry: read a whole record with its ETag, create, edit, delete, restore,
report vacancy, replace prices and hours. Each operation's security requirement names
the permission it needs; scope and field-level checks live in app.services.registry."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import (
    AuditorDep,
    DeleterDep,
    EditorDep,
    IfMatchDep,
    OperatorDep,
    ReaderDep,
    WriteEngineDep,
)
from app.api.schemas.registry import (
    AuditOut,
    FacilityCreate,
    FacilityPatch,
    HistoryOut,
    HoursIn,
    PricesIn,
    StaffFacility,
    VacancyIn,
)
from app.errors import problem_responses
from app.services import registry
from app.services.registry import PointIn, Versioned

router = APIRouter(
    prefix="/v1/registry", tags=["registry"], responses=problem_responses(401, 403, 409, 412, 428)
)

PublicId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$", description="Public facility id.")]
HistoryLimit = Annotated[int, Query(ge=1, le=500, description="Most entries of each kind.")]


def staff_response(body: object, etag: str | None = None, status: int = 200) -> Response:
    """JSON for staff eyes only: never stored by shared caches."""
    headers = {"Cache-Control": "private, no-store"}
    if etag is not None:
        headers["ETag"] = etag
    return Response(orjson.dumps(body), status, headers, media_type="application/json")


def versioned(result: Versioned, status: int = 200) -> Response:
    return staff_response(result.body, result.etag, status)


@router.get(
    "/facilities/{public_id}", operation_id="staff_get_facility", response_model=StaffFacility
)
async def read(public_id: PublicId, who: ReaderDep, engine: WriteEngineDep) -> Response:
    """The whole record, deleted or not, with private fields; ETag for If-Match."""
    return versioned(await registry.staff_facility(engine, who, public_id))


@router.post(
    "/facilities",
    operation_id="staff_create_facility",
    response_model=StaffFacility,
    status_code=201,
)
async def create(body: FacilityCreate, who: EditorDep, engine: WriteEngineDep) -> Response:
    """A new facility; its regions come from its location (GCJ-02 unless `coordsys` says)."""
    point = PointIn(body.location.lon, body.location.lat, body.location.coordsys)
    return versioned(await registry.create_facility(engine, who, body.changes(), point), 201)


@router.patch(
    "/facilities/{public_id}", operation_id="staff_edit_facility", response_model=StaffFacility
)
async def edit(
    public_id: PublicId,
    body: FacilityPatch,
    who: OperatorDep,
    engine: WriteEngineDep,
    if_match: IfMatchDep = None,
) -> Response:
    """Change fields. Operators may change phone, opening-hours text, open_24h and photo
    URLs of their own facilities; every other field and the location need edit_registry."""
    loc = body.location
    point = None if loc is None else PointIn(loc.lon, loc.lat, loc.coordsys)
    result = await registry.edit_facility(engine, who, public_id, if_match, body.changes(), point)
    return versioned(result)


@router.delete(
    "/facilities/{public_id}", operation_id="staff_delete_facility", response_model=StaffFacility
)
async def delete(
    public_id: PublicId, who: DeleterDep, engine: WriteEngineDep, if_match: IfMatchDep = None
) -> Response:
    """Soft delete: gone from every public answer, kept for restore and audit."""
    return versioned(await registry.delete_facility(engine, who, public_id, if_match))


@router.post(
    "/facilities/{public_id}/restore",
    operation_id="staff_restore_facility",
    response_model=StaffFacility,
)
async def restore(
    public_id: PublicId, who: DeleterDep, engine: WriteEngineDep, if_match: IfMatchDep = None
) -> Response:
    """Undo a soft delete."""
    return versioned(await registry.restore_facility(engine, who, public_id, if_match))


@router.put(
    "/facilities/{public_id}/vacancy",
    operation_id="staff_report_vacancy",
    response_model=StaffFacility,
)
async def vacancy(
    public_id: PublicId,
    body: VacancyIn,
    who: OperatorDep,
    engine: WriteEngineDep,
    if_match: IfMatchDep = None,
) -> Response:
    """Report vacant beds and 托位 now; the report is kept in the vacancy history."""
    result = await registry.report_vacancy(
        engine, who, public_id, if_match, body.vacant_beds, body.vacant_childcare_places
    )
    return versioned(result)


@router.put(
    "/facilities/{public_id}/prices",
    operation_id="staff_replace_prices",
    response_model=StaffFacility,
)
async def prices(
    public_id: PublicId,
    body: PricesIn,
    who: OperatorDep,
    engine: WriteEngineDep,
    if_match: IfMatchDep = None,
) -> Response:
    """Publish a new price list (integer fen); earlier lists stay in the price history."""
    rows = [p.model_dump() for p in body.prices]
    return versioned(await registry.replace_prices(engine, who, public_id, if_match, rows))


@router.put(
    "/facilities/{public_id}/hours",
    operation_id="staff_replace_hours",
    response_model=StaffFacility,
)
async def hours(
    public_id: PublicId,
    body: HoursIn,
    who: OperatorDep,
    engine: WriteEngineDep,
    if_match: IfMatchDep = None,
) -> Response:
    """Replace the weekly opening hours (local time)."""
    rows = [(h.weekday, h.opens, h.closes) for h in body.hours]
    return versioned(await registry.replace_hours(engine, who, public_id, if_match, rows))


@router.get(
    "/facilities/{public_id}/history",
    operation_id="staff_facility_history",
    response_model=HistoryOut,
)
async def history(
    public_id: PublicId, who: ReaderDep, engine: WriteEngineDep, limit: HistoryLimit = 50
) -> Response:
    """Vacancy reports and price lists, newest first."""
    return staff_response(await registry.history(engine, who, public_id, limit))


@router.get(
    "/facilities/{public_id}/audit", operation_id="staff_facility_audit", response_model=AuditOut
)
async def audit(
    public_id: PublicId, who: AuditorDep, engine: WriteEngineDep, limit: HistoryLimit = 200
) -> Response:
    """Every change to the facility: who, role, when, what, before and after."""
    return staff_response(await registry.audit_trail(engine, who, public_id, limit))
