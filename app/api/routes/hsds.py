"""Open Referral HSDS 3 export of the public registry (read scope)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.api.deps import ReplicaEngineDep, SettingsDep, kinds_filter
from app.api.routes.facilities import json_response
from app.api.schemas.hsds import HsdsApiDetails, HsdsServicePage
from app.errors import PROBLEM_RESPONSES
from app.services import hsds
from app.settings import Settings

router = APIRouter(prefix="/v1/hsds", tags=["hsds"], responses=PROBLEM_RESPONSES)

MAX_PER_PAGE = 200


def _utc_offset(settings: Settings) -> str:
    offset = datetime.now(ZoneInfo(settings.timezone)).strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


@router.get("", operation_id="hsds_api_details", response_model=HsdsApiDetails)
async def api_details(request: Request) -> Response:
    """Which HSDS version the export follows and where its OpenAPI document is."""
    base = str(request.base_url).rstrip("/")
    return json_response(
        {"version": hsds.HSDS_VERSION, "profile": None, "openapi_url": f"{base}/openapi.json"}
    )


@router.get("/services", operation_id="hsds_services", response_model=HsdsServicePage)
async def services(
    engine: ReplicaEngineDep,
    settings: SettingsDep,
    city: Annotated[
        str | None,
        Query(pattern=r"^\d{6}$", description="City code (市, 6 digits); all cities if absent."),
    ] = None,
    kind: Annotated[
        list[str], Query(max_length=40, description="Facility kind codes; repeat for several.")
    ] = [],  # noqa: B006 - FastAPI copies defaults
    page: Annotated[int, Query(ge=1, le=10**6, description="Page number, from 1.")] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Services per page.")] = 50,
) -> Response:
    """Services (one per facility and kind, by facility id then kind) as HSDS 3 records:
    organization, location (WGS-84), service_at_location, cost options in CNY, vacancies
    as service capacities. Sample facilities say so (attribute `sample_data`)."""
    flt = kinds_filter(settings, kind, city)
    body = await hsds.services_page(engine, flt, page, per_page, _utc_offset(settings))
    return json_response(body)
