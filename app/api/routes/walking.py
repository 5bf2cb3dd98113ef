"""Walking: is a home inside its 15/30-minute circle, and reach areas for maps."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import (
    CoordSysDep,
    ReplicaEngineDep,
    SettingsDep,
    WalkingDep,
    check_accuracy,
    point_wgs84,
)
from app.api.routes.facilities import json_response
from app.api.schemas.common import CoordSysName
from app.api.schemas.walking import (
    CoverageRequest,
    CoverageResponse,
    FuzzyCoverageResponse,
    ReachCollection,
)
from app.errors import problem_responses
from app.services import coverage, walking

router = APIRouter(prefix="/v1", tags=["walking"], responses=problem_responses(413))

Profile = Annotated[
    str, Query(max_length=30, description="Walking profile (adult, older, pram, wheelchair).")
]
Minutes = Annotated[list[float], Query(description="Contour minutes; repeat for several.")]


AnyCoverage = CoverageResponse | FuzzyCoverageResponse


@router.get("/coverage", operation_id="point_coverage", response_model=AnyCoverage)
async def coverage_get(
    engine: ReplicaEngineDep,
    state: WalkingDep,
    settings: SettingsDep,
    lon: Annotated[float, Query(ge=-180, le=180, allow_inf_nan=False, examples=[104.6399])],
    lat: Annotated[float, Query(ge=-90, le=90, allow_inf_nan=False, examples=[30.1245])],
    coordsys: Annotated[CoordSysName, Query()] = "wgs84",
    profile: Profile = "adult",
    accuracy_m: Annotated[
        int | None, Query(ge=1, description="Location uncertainty in metres (fuzzy location).")
    ] = None,
    fuzzy: Annotated[
        bool, Query(description="wx.getFuzzyLocation: assume the default accuracy.")
    ] = False,
) -> Response:
    """For each kind in a service circle: is the home inside the circle that applies, by what.
    With accuracy_m or fuzzy: covered, not covered or depends, across the uncertainty."""
    wlon, wlat = point_wgs84(lon, lat, coordsys)
    return json_response(
        await _coverage(engine, state, settings, wlon, wlat, coordsys, profile, accuracy_m, fuzzy)
    )


@router.post("/coverage", operation_id="point_coverage_post", response_model=AnyCoverage)
async def coverage_post(
    body: CoverageRequest, engine: ReplicaEngineDep, state: WalkingDep, settings: SettingsDep
) -> Response:
    """The same question with the home in a JSON body."""
    wlon, wlat = point_wgs84(body.lon, body.lat, body.coordsys)
    return json_response(
        await _coverage(
            engine,
            state,
            settings,
            wlon,
            wlat,
            body.coordsys,
            body.profile,
            body.accuracy_m,
            body.fuzzy,
        )
    )


async def _coverage(
    engine: ReplicaEngineDep,
    state: WalkingDep,
    settings: SettingsDep,
    lon: float,
    lat: float,
    coordsys: str,
    profile: str,
    accuracy_m: int | None,
    fuzzy: bool,
) -> dict[str, Any]:
    accuracy = check_accuracy(settings, accuracy_m, fuzzy)
    if accuracy is None:
        return await coverage.coverage(engine, state, lon, lat, coordsys, profile)
    return await coverage.fuzzy_coverage(engine, state, lon, lat, coordsys, profile, accuracy)


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
