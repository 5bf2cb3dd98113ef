"""Walking answers: point coverage and reach areas."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas.common import CoordSysName, LonLat, SafeStr


class CoverageRequest(BaseModel):
    """A home, in a JSON body so it stays out of URLs and logs."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"lon": 104.6399, "lat": 30.1245, "profile": "older"}]},
    )

    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    coordsys: CoordSysName = "wgs84"
    profile: SafeStr = Field("adult", max_length=30)


class WalkProfileOut(BaseModel):
    code: str
    name_zh: str
    speed_m_s: float
    avoid_steps: bool
    source: str


class ReachedFacility(BaseModel):
    id: str
    name: str
    walk_minutes: float | None
    walk_seconds: int
    distance_m: float = Field(description="Straight-line metres, for contrast only.")


class KindCoverage(BaseModel):
    kind: str
    name_zh: str
    basis: str = Field(description="stated (the cited text names the kind) or proposal.")
    covered: bool | None = Field(description="null when the home is too far from any road.")
    facilities: list[ReachedFacility] = Field(
        description="Facilities inside the circle, nearest first."
    )
    nearest: ReachedFacility | None = Field(description="When not covered: the nearest by walking.")
    note: str | None = Field(
        None, description="Why not covered, in walking minutes (null when covered)."
    )


class CircleCoverage(BaseModel):
    code: str
    name_zh: str
    cite: str
    kinds: list[KindCoverage]


class CoverageResponse(BaseModel):
    home: LonLat
    city: dict[str, str]
    township: dict[str, str | None]
    profile: WalkProfileOut
    circle_minutes: float = Field(description="15 (urban 街道) or 30 (rural 镇/乡) by city rule.")
    circle_rule: str = Field(description="The rule's citation.")
    snap: dict[str, Any] | None
    circles: list[CircleCoverage]


class ReachCollection(BaseModel):
    type: str = "FeatureCollection"
    coordsys: str
    profile: WalkProfileOut
    features: list[dict[str, Any]] = Field(description="GeoJSON MultiPolygon features.")
