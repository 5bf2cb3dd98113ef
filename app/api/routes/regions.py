"""Regions: 市, 县/区, 街道/乡镇, 社区 with boundaries and their facilities."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import (
    CoordSysDep,
    FilterDep,
    FilterQuery,
    LimitDep,
    ReplicaEngineDep,
    SettingsDep,
    query_parameters,
)
from app.api.routes.facilities import json_response
from app.api.schemas.facilities import FacilityList
from app.api.schemas.regions import RegionDetail, RegionList
from app.errors import PROBLEM_RESPONSES
from app.services import finder

router = APIRouter(prefix="/v1/regions", tags=["regions"], responses=PROBLEM_RESPONSES)

Code = Annotated[str, Path(pattern=r"^\d{6,12}$", description="Region code.")]
Level = Literal["city", "county", "township", "community"]


@router.get("", operation_id="list_regions", response_model=RegionList)
async def list_regions(
    engine: ReplicaEngineDep,
    level: Level | None = None,
    parent: Annotated[str | None, Query(pattern=r"^\d{6,12}$")] = None,
    city: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
) -> Response:
    """Regions with population and urban/rural class, filtered by level, parent or city."""
    return json_response(await finder.regions(engine, level, parent, city))


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
