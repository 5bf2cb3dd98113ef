"""Region response models."""

from __future__ import annotations

from geojson_pydantic import MultiPolygon
from pydantic import BaseModel, Field

from app.api.schemas.common import LonLat
from app.api.schemas.facilities import FacilitySummary
from app.api.schemas.walking import AreaCoverage


class RegionSummary(BaseModel):
    code: str = Field(
        description="Statistical code (synthetic for sample 社区; see boundary_source)."
    )
    name: str
    level: str = Field(description="city, county, township or community.")
    unit_type: str | None = Field(description="街道, 镇, 乡, 区, 县 …")
    parent_code: str | None
    city_code: str
    urban_rural: str | None = Field(description="urban or rural: decides 15 or 30-minute circles.")
    pop_total: int | None = Field(
        description="常住人口, 2020 census (allocated below county level)."
    )
    pop_60p: int | None
    pop_65p: int | None
    pop_0_3: int | None
    pop_source: str | None
    boundary_source: str | None
    seat: LonLat | None


class RegionDetail(RegionSummary):
    area_km2: float | None
    boundary: MultiPolygon | None = Field(description="In the coordinate system of `coordsys`.")
    coordsys: str


class RegionList(BaseModel):
    items: list[RegionSummary]


class RegionIdentity(BaseModel):
    code: str
    name: str
    level: str
    unit_type: str | None
    parent_code: str | None
    city_code: str
    urban_rural: str
    boundary_source: str | None


class CircleRuleOut(BaseModel):
    urban_rural: str
    minutes: float = Field(description="15 (urban 街道) or 30 (rural 镇/乡) by the city's rule.")
    rule: str = Field(description="The rule's citation.")


class KindCount(BaseModel):
    kind: str
    name_zh: str
    count: int
    puhui: int


class VacancyTally(BaseModel):
    beds: int = Field(description="Vacant beds, fresh reports only.")
    childcare_places: int = Field(description="Vacant 托位, fresh reports only.")
    facilities_with_vacancy: int
    facilities_unknown: int = Field(description="With capacity but no fresh vacancy report.")


class RegionServices(BaseModel):
    """What is in and near a 街道/乡镇 or 社区 (no location needed)."""

    region: RegionIdentity
    circle: CircleRuleOut
    summary_zh: str = Field(description="One plain Chinese sentence.")
    facilities: int = Field(description="Facilities counted (in the region, not closed).")
    facilities_total: int
    puhui: int
    by_kind: list[KindCount]
    vacancy: VacancyTally
    coverage: AreaCoverage = Field(
        description="Walking coverage checked at places across the region (not at one point)."
    )
    items: list[FacilitySummary] = Field(
        description="Facilities in the region, open and 普惠 first; all: /facilities."
    )
    more_items: bool
