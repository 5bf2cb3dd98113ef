"""Walking answers: point coverage and reach areas."""

from __future__ import annotations

from typing import Any, Literal

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
    accuracy_m: int | None = Field(
        None, ge=1, description="Location uncertainty in metres (a fuzzy location)."
    )
    fuzzy: bool = Field(False, description="wx.getFuzzyLocation: assume the default accuracy.")


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
    approximate: Literal[False] = False
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


class AreaPlaces(BaseModel):
    sampled: int = Field(description="Sample places across the area.")
    checked: int = Field(description="Places judged (inside the city, near a road).")
    off_road: int = Field(description="Places farther than YLYX_WALK_MAX_SNAP_M from a road.")
    outside: int = Field(description="Places outside the city.")


class AreaTownship(BaseModel):
    code: str
    name: str
    urban_rural: str
    circle_minutes: float
    circle_rule: str = Field(description="The citation of the minutes.")
    places: int = Field(description="Checked places in this 街道/乡镇.")


class AreaFacility(BaseModel):
    id: str
    name: str
    places_covered: int = Field(description="Checked places this facility puts inside the circle.")
    best_walk_minutes: float | None


class AreaKindCoverage(BaseModel):
    kind: str
    name_zh: str
    basis: str = Field(description="stated (the cited text names the kind) or proposal.")
    answer: Literal["covered", "not_covered", "depends", "unknown"] = Field(
        description="covered at every checked place, at none, at some (depends where in the "
        "area), or unknown (no place could be checked)."
    )
    places_checked: int
    places_covered: int
    share_covered: float | None = Field(description="places_covered / places_checked.")
    circle_minutes: list[float] = Field(description="The circle minutes of the checked places.")
    summary_zh: str = Field(description="One plain Chinese sentence.")
    facilities: list[AreaFacility] = Field(description="What covers most places, first five.")


class AreaCircle(BaseModel):
    code: str
    name_zh: str
    cite: str
    kinds: list[AreaKindCoverage]


class AreaCoverage(BaseModel):
    places: AreaPlaces
    townships: list[AreaTownship]
    profile: WalkProfileOut
    circles: list[AreaCircle]


class FuzzyCoverageResponse(AreaCoverage):
    """Coverage for an approximate location: checked across its uncertainty disc."""

    approximate: Literal[True]
    centre: LonLat = Field(description="The location as sent.")
    accuracy_m: int
    accuracy_source: str
    city: dict[str, str]
