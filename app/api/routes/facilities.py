"""Facilities: nearby (GET and POST), detail, text search."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import (
    CoordSysDep,
    EngineDep,
    FilterDep,
    LimitDep,
    NearbyQueryDep,
    SettingsDep,
    nearby_spec_from_body,
)
from app.api.schemas.facilities import FacilityDetail, NearbyRequest, NearbyResponse, SearchResponse
from app.errors import PROBLEM_RESPONSES
from app.services import finder

router = APIRouter(prefix="/v1/facilities", tags=["facilities"], responses=PROBLEM_RESPONSES)

PublicId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$", description="Public facility id.")]


def json_response(body: object) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


@router.get("/nearby", operation_id="nearby_facilities", response_model=NearbyResponse)
async def nearby_get(spec: NearbyQueryDep, engine: EngineDep, settings: SettingsDep) -> Response:
    """Facilities within a radius of a point, nearest first, with the exact total."""
    return json_response(await finder.nearby(engine, settings.cursor_secret, spec))


@router.post("/nearby", operation_id="nearby_facilities_post", response_model=NearbyResponse)
async def nearby_post(body: NearbyRequest, engine: EngineDep, settings: SettingsDep) -> Response:
    """The same search with the location in a JSON body, out of URLs and access logs."""
    spec = nearby_spec_from_body(settings, body)
    return json_response(await finder.nearby(engine, settings.cursor_secret, spec))


@router.get("/search", operation_id="search_facilities", response_model=SearchResponse)
async def search(
    engine: EngineDep,
    settings: SettingsDep,
    flt: FilterDep,
    limit: LimitDep,
    q: Annotated[
        str, Query(min_length=1, max_length=50, description="Words of a name or address.")
    ],
    coordsys: CoordSysDep = "wgs84",
) -> Response:
    """Text search on Chinese names, addresses and kind names (助餐 finds 老年助餐点)."""
    return json_response(await finder.search(engine, q, flt, limit, coordsys))


@router.get("/{public_id}", operation_id="get_facility", response_model=FacilityDetail)
async def detail(
    public_id: PublicId, engine: EngineDep, coordsys: CoordSysDep = "wgs84"
) -> Response:
    """One facility with prices (integer fen), opening hours, capacity and sources."""
    return json_response(await finder.facility(engine, public_id, coordsys))
