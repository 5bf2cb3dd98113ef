"""Regions: 市, 县/区, 街道/乡镇, 社区 with boundaries and their facilities."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import (
    CoordSysDep,
    FilterDep,
    FilterQuery,
    FreshnessDep,
    LimitDep,
    ReplicaEngineDep,
    SettingsDep,
    WalkingDep,
    query_parameters,
)
from app.api.routes.facilities import json_response
from app.api.schemas.facilities import FacilityList, ViewName
from app.api.schemas.regions import RegionDetail, RegionList, RegionServices
from app.errors import PROBLEM_RESPONSES, problem_responses
from app.services import finder, plain
from app.services import region_services as services

router = APIRouter(prefix="/v1/regions", tags=["regions"], responses=PROBLEM_RESPONSES)

Code = Annotated[str, Path(pattern=r"^\d{6,12}$", description="Region code.")]
Level = Literal["city", "county", "township", "community"]


@router.get("", operation_id="list_regions", response_model=RegionList)
async def list_regions(
    engine: ReplicaEngineDep,
    level: Level | None = None,
    parent: Annotated[str | None, Query(pattern=r"^\d{6,12}$")] = None,
    city: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=20, description="Part of the name, e.g. 莲花 or 雁中社区."),
    ] = None,
) -> Response:
    """Regions with population and urban/rural class, filtered by level, parent, city or
    name (find a resident's 街道/社区 by typing part of it)."""
    return json_response(await finder.regions(engine, level, parent, city, q))


@router.get(
    "/{code}/services",
    operation_id="region_services",
    response_model=RegionServices,
    responses=problem_responses(413),
)
async def region_services(
    code: Code,
    engine: ReplicaEngineDep,
    state: WalkingDep,
    settings: SettingsDep,
    freshness: FreshnessDep,
    limit: LimitDep,
    profile: Annotated[
        str, Query(max_length=30, description="Walking profile (adult, older, pram, wheelchair).")
    ] = "adult",
    coordsys: CoordSysDep = "wgs84",
    view: Annotated[
        ViewName, Query(description="simple adds plain Chinese for older users.")
    ] = "full",
) -> Response:
    """What is in and near a 街道/乡镇 or 社区 without any location: counts by kind, 普惠 and
    vacancies, the 15/30-minute circle rule that applies, and whether places across it are
    inside that circle."""
    body = await services.region_services(
        engine,
        state,
        code,
        profile,
        coordsys,
        limit,
        freshness,
        settings.area_max_samples,
        settings.reach_max_facilities,
    )
    if view == "simple":
        await plain.add_simple(engine, body["items"])
    return json_response(body)


@router.get("/{code}", operation_id="get_region", response_model=RegionDetail)
async def region(
    code: Code,
    engine: ReplicaEngineDep,
    coordsys: CoordSysDep = "wgs84",
    boundary: Annotated[bool, Query(description="Include the boundary GeoJSON.")] = True,
) -> Response:
    """One region with its boundary as GeoJSON in the chosen coordinate system."""
    return json_response(await finder.region(engine, code, coordsys, boundary))


@router.get(
    "/{code}/facilities",
    operation_id="list_region_facilities",
    response_model=FacilityList,
    openapi_extra=query_parameters(FilterQuery),
)
async def region_facilities(
    code: Code,
    engine: ReplicaEngineDep,
    settings: SettingsDep,
    flt: FilterDep,
    limit: LimitDep,
    coordsys: CoordSysDep = "wgs84",
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Response:
    """Facilities in a region (by administrative code), with the same filters as nearby."""
    return json_response(
        await finder.region_facilities(
            engine, settings.cursor_secret, code, flt, limit, cursor, coordsys
        )
    )
