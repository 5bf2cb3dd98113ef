"""Facilities: nearby (GET and POST), detail, text search."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import (
    CoordSysDep,
    FilterDep,
    FilterQuery,
    LimitDep,
    NearbyQuery,
    NearbyQueryDep,
    ReplicaEngineDep,
    SettingsDep,
    WalkingDep,
    nearby_spec_from_body,
    query_parameters,
)
from app.api.schemas.facilities import FacilityDetail, NearbyRequest, NearbyResponse, SearchResponse
from app.errors import PROBLEM_RESPONSES
from app.services import finder
from app.services.finder import NearbySpec
from app.services.walk_nearby import nearby_with_walking

router = APIRouter(prefix="/v1/facilities", tags=["facilities"], responses=PROBLEM_RESPONSES)

PublicId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$", description="Public facility id.")]


def json_response(body: object) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


@router.get(
    "/nearby",
    operation_id="nearby_facilities",
    response_model=NearbyResponse,
    openapi_extra=query_parameters(NearbyQuery),
)
async def nearby_get(
    spec: NearbyQueryDep, engine: ReplicaEngineDep, settings: SettingsDep, walking: WalkingDep
) -> Response:
    """Facilities within a radius of a point, nearest first (or by walking time), with the
    exact total."""
    return json_response(await _nearby(spec, engine, settings, walking))


@router.post("/nearby", operation_id="nearby_facilities_post", response_model=NearbyResponse)
async def nearby_post(
    body: NearbyRequest, engine: ReplicaEngineDep, settings: SettingsDep, walking: WalkingDep
) -> Response:
    """The same search with the location in a JSON body, out of URLs and access logs."""
    spec = nearby_spec_from_body(settings, body)
    return json_response(await _nearby(spec, engine, settings, walking))


async def _nearby(
    spec: NearbySpec, engine: ReplicaEngineDep, settings: SettingsDep, walking: WalkingDep
) -> dict[str, object]:
    if spec.sort == "distance" and spec.profile is None:
        return await finder.nearby(engine, settings.cursor_secret, spec)
    return await nearby_with_walking(
        engine, walking, settings.cursor_secret, spec, settings.walk_sort_max_candidates
    )


@router.get(
    "/search",
    operation_id="search_facilities",
    response_model=SearchResponse,
    openapi_extra=query_parameters(FilterQuery),
)
async def search(
    engine: ReplicaEngineDep,
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
    public_id: PublicId, engine: ReplicaEngineDep, coordsys: CoordSysDep = "wgs84"
) -> Response:
    """One facility with prices (integer fen), opening hours, capacity and sources."""
    return json_response(await finder.facility(engine, public_id, coordsys))
