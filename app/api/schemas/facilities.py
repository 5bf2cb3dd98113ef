"""Facility request and response models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.schemas.common import CoordSysName, LonLat, Page, SafeStr, Vacancy, codes_of
from app.domain.vocabulary import FacilityStatus, kinds, services

ViewName = Literal["full", "simple"]


class NextStep(BaseModel):
    action: Literal["call", "visit", "ask_community"] = Field(
        description="call when a phone is known, else visit (address and hours)."
    )
    text: str = Field(description="拨打 028-… 预约参观, or the address and opening hours.")
    phone: str | None


class SimpleView(BaseModel):
    """Plain-language Chinese for older users and large type (view=simple)."""

    short_name: str = Field(description="≤ 12 characters, then （示例） for sample data.")
    label: str = Field(description="普惠 and the kind, ≤ 12 characters.")
    sentence: str = Field(description="One short sentence: what, vacancy, how far.")
    next_step: NextStep


class DistanceRange(BaseModel):
    """Where the true distance lies, given the caller's location uncertainty."""

    min: float
    max: float


class FacilitySummary(BaseModel):
    id: str = Field(description="Stable public id.")
    name: str
    kinds: list[str] = Field(description="Kind codes (see /v1/kinds).")
    kind_names: list[str] = Field(description="Chinese names of the kinds, same order.")
    services: list[str]
    address: str | None
    phone: str | None
    status: str
    puhui: bool = Field(description="普惠 (capped-price) status.")
    beds: int | None
    childcare_places: int | None = Field(description="托位.")
    vacancy: Vacancy
    township_code: str | None
    is_sample: bool = Field(description="True for synthetic sample data (名称含（示例）).")
    location: LonLat
    simple: SimpleView | None = Field(None, description="With view=simple.")


class NearbyItem(FacilitySummary):
    distance_m: float = Field(description="Spheroidal distance from the origin, metres.")
    walk_minutes: float | None = Field(
        None, description="With `profile` or sort=walk_minutes; null if not reachable on foot."
    )
    distance_range_m: DistanceRange | None = Field(
        None, description="With accuracy_m: the true distance lies in this range."
    )


class NearbyResponse(Page):
    origin: LonLat
    radius_m: int
    approximate: bool = Field(
        False, description="True with accuracy_m or fuzzy: distances are estimates."
    )
    accuracy_m: int | None = Field(None, description="The location uncertainty used, metres.")
    accuracy_source: str | None = Field(None, description="Why that uncertainty (fuzzy).")
    items: list[NearbyItem]


class FacilityList(Page):
    items: list[FacilitySummary]


class SearchItem(FacilitySummary):
    rank: float


class SearchResponse(BaseModel):
    query: str
    items: list[SearchItem]


class Price(BaseModel):
    item: str
    amount_fen: int = Field(description="Integer fen (1 元 = 100 fen).")
    unit: str = Field(description="month, day, meal, hour or once.")
    puhui: bool


class OpeningHours(BaseModel):
    weekday: int = Field(description="ISO weekday, 1 = Monday.")
    opens: str
    closes: str


class FacilityDetail(FacilitySummary):
    operator_name: str | None
    ownership: str | None
    ownership_name: str | None
    city_code: str
    county_code: str | None
    county_name: str | None
    township_name: str | None
    community_code: str | None
    community_name: str | None
    urban_rural: str | None
    opening_hours_text: str | None
    open_24h: bool
    opening_hours: list[OpeningHours]
    nursing_beds: int | None = Field(description="护理型床位.")
    meals_per_day: int | None
    puhui_source: str | None
    puhui_certified_on: str | None
    prices: list[Price]
    elder_min_age_years: int | None
    child_min_age_months: int | None
    child_max_age_months: int | None
    accessibility: list[str]
    grade_scale: str | None
    grade_value: int | None
    data_source: str
    last_verified_at: str | None


class NearbyRequest(BaseModel):
    """Nearby search as a JSON body, so a resident's location stays out of URLs and logs."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "lon": 104.64231,
                    "lat": 30.1217,
                    "coordsys": "gcj02",
                    "kind": ["meal_point"],
                    "radius_m": 1500,
                    "limit": 2,
                }
            ]
        },
    )

    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    coordsys: CoordSysName = "wgs84"
    radius_m: int | None = Field(None, ge=1)
    kind: list[SafeStr] = Field(
        default_factory=list, max_length=50, json_schema_extra=codes_of(kinds())
    )
    service: list[SafeStr] = Field(
        default_factory=list, max_length=50, json_schema_extra=codes_of(services())
    )
    status: list[SafeStr] = Field(
        default_factory=list,
        max_length=10,
        json_schema_extra=codes_of(s.value for s in FacilityStatus),
    )
    puhui: bool | None = None
    has_vacancy: bool | None = None
    open_now: bool = False
    open_at: SafeStr | None = None
    age_years: int | None = Field(None, ge=0, le=130)
    age_months: int | None = Field(None, ge=0, le=72)
    limit: int | None = Field(None, ge=1)
    cursor: SafeStr | None = Field(None, max_length=512)
    sort: Literal["distance", "walk_minutes"] = "distance"
    profile: SafeStr | None = Field(None, max_length=30)
    fields: SafeStr | None = Field(None, max_length=300, description="Item fields to keep.")
    accuracy_m: int | None = Field(
        None, ge=1, description="Location uncertainty in metres (a fuzzy location)."
    )
    fuzzy: bool = Field(False, description="wx.getFuzzyLocation: assume the default accuracy.")
    view: ViewName = Field("full", description="simple adds plain Chinese for older users.")


class ClusterMarker(BaseModel):
    count: int = Field(description="Facilities in this marker.")
    location: LonLat = Field(description="Mean position of those facilities.")
    id: str | None = Field(None, description="The facility, when the marker holds one.")
    name: str | None = None


class ClusterResponse(BaseModel):
    zoom: int
    coordsys: CoordSysName
    total: int
    markers: list[ClusterMarker]
