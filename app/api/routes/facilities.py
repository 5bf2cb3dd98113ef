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
    FreshnessDep,
    LimitDep,
    NearbyQuery,
    NearbyQueryDep,
    ReplicaEngineDep,
    SettingsDep,
    WalkingDep,
    bbox_wgs84,
    check_fields,
    nearby_spec_from_body,
    query_parameters,
)
from app.api.schemas.facilities import (
    ClusterResponse,
    FacilityDetail,
    NearbyRequest,
    NearbyResponse,
    SearchResponse,
    ViewName,
)
from app.errors import problem_responses
from app.services import clusters, finder, plain, render
from app.services.finder import NearbySpec
from app.services.walk_nearby import nearby_with_walking

router = APIRouter(prefix="/v1/facilities", tags=["facilities"], responses=problem_responses(413))

FieldsQuery = Annotated[
    str | None, Query(max_length=300, description="Compact answer: item fields to keep.")
]
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
        body = await finder.nearby(engine, settings.cursor_secret, spec)
    else:
        body = await nearby_with_walking(
            engine, walking, settings.cursor_secret, spec, settings.walk_sort_max_candidates
        )
    if spec.view == "simple":
        await plain.add_simple(engine, body["items"])
    return render.only_fields(body, spec.fields)


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
    fields: FieldsQuery = None,
) -> Response:
    """Text search on Chinese names, addresses and kind names (助餐 finds 老年助餐点)."""
    body = await finder.search(engine, q, flt, limit, coordsys)
    return json_response(render.only_fields(body, check_fields(fields)))


@router.get(
    "/clusters",
    operation_id="facility_clusters",
    response_model=ClusterResponse,
    openapi_extra=query_parameters(FilterQuery),
)
async def map_clusters(
    engine: ReplicaEngineDep,
    flt: FilterDep,
    bbox: Annotated[
        str,
        Query(max_length=200, description="min_lon,min_lat,max_lon,max_lat in `coordsys`."),
    ],
    zoom: Annotated[int, Query(ge=0, le=clusters.MAX_ZOOM, description="Map zoom level.")],
    coordsys: CoordSysDep = "gcj02",
) -> Response:
    """Markers for a map view: facilities grouped by zoom (a count and a position per group,
    the facility itself when alone). Coordinates default to GCJ-02, as maps in China use."""
    box = bbox_wgs84(bbox, coordsys)
    return json_response(await clusters.clusters(engine, box, zoom, flt, coordsys))


@router.get("/{public_id}", operation_id="get_facility", response_model=FacilityDetail)
async def detail(
    public_id: PublicId,
    engine: ReplicaEngineDep,
    freshness: FreshnessDep,
    coordsys: CoordSysDep = "wgs84",
    view: Annotated[
        ViewName, Query(description="simple adds plain Chinese for older users.")
    ] = "full",
) -> Response:
    """One facility with prices (integer fen), opening hours, capacity and sources."""
    body = await finder.facility(engine, public_id, coordsys, freshness)
    if view == "simple":
        plain.add_simple_detail(body)
    return json_response(body)
