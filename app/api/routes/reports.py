"""纠错 reports: filed by third-party apps (a key with `write`), worked by staff as a queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import ApiKeyDep, EngineDep, OperatorDep, ReaderDep, WriteEngineDep
from app.api.routes.facilities import json_response
from app.api.schemas.residents import NewReport, ReportOut, ReportStatusChange
from app.domain.reports import ReportStatus
from app.errors import problem_responses
from app.services import residents

router = APIRouter(tags=["reports"], responses=problem_responses(409, 413))
ReportId = Annotated[int, Path(ge=1, le=2**62, description="The report's id.")]


@router.post(
    "/v1/reports", operation_id="report_problem_by_app", response_model=ReportOut, status_code=201
)
async def file(body: NewReport, key: ApiKeyDep, engine: WriteEngineDep) -> Response:
    """A 纠错 report from a third-party app (e.g. a 12345 hotline console)."""
    out = await residents.report(
        engine, body.facility_id, body.kind, body.note, api_key_id=key.key_id
    )
    response = json_response(out)
    response.status_code = 201
    return response


@router.get("/v1/admin/reports", operation_id="report_queue", response_model=list[ReportOut])
async def queue(
    who: ReaderDep,
    engine: EngineDep,
    status: Annotated[ReportStatus | None, Query(description="Only reports in this state.")] = None,
) -> Response:
    """Reports on the facilities this member of staff is responsible for, oldest first."""
    return json_response(await residents.report_queue(engine, who, status))


@router.patch(
    "/v1/admin/reports/{report_id}", operation_id="set_report_status", response_model=ReportOut
)
async def set_status(
    report_id: ReportId, body: ReportStatusChange, who: OperatorDep, engine: WriteEngineDep
) -> Response:
    """Move a report along the queue (audited)."""
    return json_response(await residents.set_report_status(engine, who, report_id, body.status))
