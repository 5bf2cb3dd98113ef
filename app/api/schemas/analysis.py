"""Planning answers: population surface, coverage, holes, site suggestions, targets.

The routes render with orjson (and CSV on request); these models document the JSON and
GeoJSON shapes in OpenAPI so typed clients see real geometry types.
"""

from __future__ import annotations

from typing import Any, Literal

from geojson_pydantic import Feature, MultiPolygon, Point, Polygon
from pydantic import BaseModel, Field


class RegionRef(BaseModel):
    code: str
    name: str
    level: str = Field(description="city, county or township.")


class KindRef(BaseModel):
    code: str
    name_zh: str


class GroupRef(BaseModel):
    code: Literal["all", "60p", "0_3"] = Field(description="The population the kind serves.")
    name_zh: str


class CircleRule(BaseModel):
    urban_minutes: float = Field(description="Circle of a 街道 (urban), walking minutes.")
    rural_minutes: float = Field(description="Circle of a 镇/乡 (rural), walking minutes.")
    urban_source: str
    rural_source: str


class SurfaceRef(BaseModel):
    resolution: int = Field(description="H3 resolution of the population hexagons.")
    method: str = Field(description="How census figures were spread over the hexagons.")


class AnalysisHead(BaseModel):
    region: RegionRef
    kind: KindRef
    population_group: GroupRef
    profile: KindRef = Field(description="Walking profile (code, name_zh).")
    circle: CircleRule
    facilities: int = Field(description="Open facilities of the kind in the city.")
    facilities_off_network: int = Field(description="Of those, too far from any road to count.")
    surface: SurfaceRef


class Tally(BaseModel):
    population: int = Field(description="Residents of the kind's group in the region.")
    covered: int = Field(description="Of them, inside the applicable walking circle.")
    outside: int = Field(description="Of them, outside it (population − covered).")
    share: float | None = Field(description="covered / population, 4 decimals; null if none.")


class CoverageRow(Tally):
    code: str
    name: str
    level: str
    urban_rural: str | None


class CoverageAnswer(AnalysisHead, Tally):
    off_network: int = Field(description="Residents counted outside because no road is near.")
    breakdown: list[CoverageRow] = Field(description="The region's counties or 街道/乡镇.")


class CoverageCollection(AnalysisHead, Tally):
    """The coverage table as a map layer: one feature per row, with its boundary."""

    type: Literal["FeatureCollection"]
    coordsys: str
    off_network: int
    features: list[Feature[MultiPolygon | Polygon, CoverageRow]]


class CellProperties(BaseModel):
    h3: str = Field(description="H3 cell index (hex).")
    pop_total: int
    pop_60p: int
    pop_0_3: int


class PopulationTotals(BaseModel):
    pop_total: int
    pop_60p: int
    pop_0_3: int


class PopulationCollection(BaseModel):
    type: Literal["FeatureCollection"]
    coordsys: str
    region: RegionRef
    resolution: int
    method: str
    totals: PopulationTotals = Field(description="Equal the region's census figures exactly.")
    features: list[Feature[Polygon, CellProperties]]


class NearestFacility(BaseModel):
    id: str
    name: str
    walk_minutes: float


class HoleProperties(BaseModel):
    rank: int
    population: int = Field(description="Uncovered residents of the kind's group.")
    population_all: int = Field(description="All residents of the hole.")
    off_network: int
    cells: int = Field(description="H3 hexagons in the hole.")
    township_code: str
    township_name: str
    nearest: NearestFacility | None = Field(
        description="Nearest open facility of the kind by walking, within the search limit."
    )


class HoleCollection(AnalysisHead):
    type: Literal["FeatureCollection"]
    coordsys: str
    holes_total: int = Field(description="Holes in the region (the list is cut at `limit`).")
    features: list[Feature[Polygon | MultiPolygon, HoleProperties]]


class SiteProperties(BaseModel):
    rank: int
    adds_population: int = Field(description="People this site newly covers after those before it.")
    township_code: str
    township_name: str
    circle_minutes: float


class SiteCollection(AnalysisHead):
    type: Literal["FeatureCollection"]
    coordsys: str
    k: int
    uncovered_before: int
    newly_covered: int
    uncovered_after: int
    method: str = Field(description="exact (HiGHS MILP) or greedy.")
    upper_bound: int = Field(description="No k sites can cover more (MILP or LP bound).")
    gap: float = Field(description="(upper_bound − newly_covered) / upper_bound.")
    candidates: int
    candidate_rule: str
    demand_pieces: int
    features: list[Feature[Point, SiteProperties]]


class Indicator(BaseModel):
    code: str
    name_zh: str
    metric: str
    value: float | None = Field(description="Null when the denominator is zero.")
    op: str
    target: float
    unit: str
    year: int
    met: bool | None
    baseline: str | None
    cite: str
    note: str | None
    detail: dict[str, Any]


class TargetsAnswer(BaseModel):
    region: RegionRef
    population: int | None
    source: str = Field(description="The city's target file.")
    indicators: list[Indicator]
