"""Walking: is a home inside its 15/30-minute circle, and reach areas for maps."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import CoordSysDep, ReplicaEngineDep, SettingsDep, WalkingDep, point_wgs84
from app.api.routes.facilities import json_response
from app.api.schemas.common import CoordSysName
from app.api.schemas.walking import CoverageRequest, CoverageResponse, ReachCollection
from app.errors import problem_responses
from app.services import coverage, walking

router = APIRouter(prefix="/v1", tags=["walking"], responses=problem_responses(413))

Profile = Annotated[
    str, Query(max_length=30, description="Walking profile (adult, older, pram, wheelchair).")
]
Minutes = Annotated[list[float], Query(description="Contour minutes; repeat for several.")]


@router.get("/coverage", operation_id="point_coverage", response_model=CoverageResponse)
async def coverage_get(
    engine: ReplicaEngineDep,
    state: WalkingDep,
    lon: Annotated[float, Query(ge=-180, le=180, allow_inf_nan=False, examples=[104.6399])],
    lat: Annotated[float, Query(ge=-90, le=90, allow_inf_nan=False, examples=[30.1245])],
    coordsys: Annotated[CoordSysName, Query()] = "wgs84",
    profile: Profile = "adult",
) -> Response:
    """For each kind in a service circle: is the home inside the circle that applies, by what."""
    wlon, wlat = point_wgs84(lon, lat, coordsys)
    return json_response(await coverage.coverage(engine, state, wlon, wlat, coordsys, profile))


@router.post("/coverage", operation_id="point_coverage_post", response_model=CoverageResponse)
async def coverage_post(
    body: CoverageRequest, engine: ReplicaEngineDep, state: WalkingDep
) -> Response:
    """The same question with the home in a JSON body."""
    wlon, wlat = point_wgs84(body.lon, body.lat, body.coordsys)
    return json_response(
        await coverage.coverage(engine, state, wlon, wlat, body.coordsys, body.profile)
    )


@router.get(
    "/facilities/{public_id}/reach", operation_id="facility_reach", response_model=ReachCollection
)
async def facility_reach(
    public_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$")],
    engine: ReplicaEngineDep,
    state: WalkingDep,
    minutes: Minutes = [15.0],  # noqa: B006
    profile: Profile = "adult",
    coordsys: CoordSysDep = "wgs84",
) -> Response:
    """Areas within N walking minutes of a facility (equally: from where it is N minutes away)."""
    return json_response(
        await walking.facility_reach(engine, state, public_id, minutes, profile, coordsys)
    )


@router.get("/reach", operation_id="kind_reach", response_model=ReachCollection)
async def kind_reach(
    engine: ReplicaEngineDep,
    state: WalkingDep,
    settings: SettingsDep,
    kind: Annotated[str, Query(max_length=40, description="One kind code.")],
    region: Annotated[str, Query(pattern=r"^\d{6,12}$", description="Region code.")],
    minutes: Annotated[float, Query(description="One contour.")] = 15.0,
    profile: Profile = "adult",
    coordsys: CoordSysDep = "wgs84",
) -> Response:
    """The union of the walking areas of all facilities of a kind in a region, for a map."""
    return json_response(
        await walking.kind_reach(
            engine, state, kind, region, minutes, profile, coordsys, settings.reach_max_facilities
        )
    )
