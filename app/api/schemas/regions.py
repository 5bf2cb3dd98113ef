"""Region response models."""

from __future__ import annotations

from geojson_pydantic import MultiPolygon
from pydantic import BaseModel, Field

from app.api.schemas.common import LonLat


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
