"""Planning analyses for community workers: population surface, coverage, holes, sites."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api import renderers
from app.api.deps import AnalysisDep, CoordSysDep, ReplicaEngineDep, SettingsDep
from app.api.renderers import CSV_ALSO, CSV_AND_GEOJSON, GeoJSONResponse
from app.api.schemas.analysis import (
    CoverageAnswer,
    HoleCollection,
    PopulationCollection,
    SiteCollection,
    TargetsAnswer,
)
from app.domain.vocabulary import kinds
from app.errors import PROBLEM_RESPONSES
from app.services import analysis
from app.services import targets as target_service
from app.services.analysis import Limits

router = APIRouter(prefix="/v1/analysis", tags=["analysis"], responses=PROBLEM_RESPONSES)

Region = Annotated[
    str, Query(pattern=r"^\d{6,12}$", description="Code of a 市, 县/区 or 街道/乡镇.")
]
Kind = Annotated[
    str,
    Query(
        max_length=40,
        description="One facility kind code (/v1/kinds).",
        json_schema_extra={"enum": sorted(kinds())},
    ),
]
Profile = Annotated[
    str | None,
    Query(max_length=30, description="Walking profile; default by kind (older, pram, adult)."),
]
Format = Annotated[renderers.Format, Query(description="json or csv (UTF-8 with BOM).")]
GeoFormat = Annotated[renderers.GeoFormat, Query(description="geojson or csv (UTF-8 with BOM).")]


@router.get(
    "/population",
    operation_id="population_surface",
    response_model=PopulationCollection,
    response_class=GeoJSONResponse,
    responses=CSV_ALSO,
)
async def population(
    state: AnalysisDep,
    settings: SettingsDep,
    region: Region,
    coordsys: CoordSysDep = "wgs84",
    format: GeoFormat = "geojson",
) -> Response:
    """Residents (all, 60+, 0–3) per H3 hexagon of a region, summing to the census figures."""
    body = await analysis.population(state, region, Limits.of(settings), coordsys)
    return renderers.geojson_or_csv(body, format, f"population_{region}.csv")


@router.get(
    "/coverage",
    operation_id="region_coverage",
    response_model=CoverageAnswer,
    responses=CSV_AND_GEOJSON,
)
async def coverage(
    engine: ReplicaEngineDep,
    state: AnalysisDep,
    settings: SettingsDep,
    region: Region,
    kind: Kind,
    profile: Profile = None,
    coordsys: CoordSysDep = "wgs84",
    format: Annotated[
        renderers.TableFormat, Query(description="json, csv (UTF-8 with BOM) or geojson.")
    ] = "json",
) -> Response:
    """Share of the kind's population inside its walking circle, and the count outside."""
    limits = Limits.of(settings)
    if format == "geojson":
        layer = await analysis.coverage_layer(
            engine, state, region, kind, profile, limits, coordsys
        )
        return renderers.geojson_or_csv(layer, "geojson", "")
    body = await analysis.coverage(engine, state, region, kind, profile, limits)
    if format == "csv":
        return renderers.coverage_csv(body, f"coverage_{region}_{kind}.csv")
    return renderers.json_body(body)


@router.get(
    "/holes",
    operation_id="coverage_holes",
    response_model=HoleCollection,
    response_class=GeoJSONResponse,
    responses=CSV_ALSO,
)
async def holes(
    engine: ReplicaEngineDep,
    state: AnalysisDep,
    settings: SettingsDep,
    region: Region,
    kind: Kind,
    profile: Profile = None,
    limit: Annotated[int, Query(description="Most holes to list, largest first.")] = 50,
    coordsys: CoordSysDep = "wgs84",
    format: GeoFormat = "geojson",
) -> Response:
    """Uncovered populated areas, their population and nearest facility, largest first."""
    body = await analysis.holes(
        engine, state, region, kind, profile, limit, Limits.of(settings), coordsys
    )
    return renderers.geojson_or_csv(body, format, f"holes_{region}_{kind}.csv")


@router.get(
    "/suggestions",
    operation_id="site_suggestions",
    response_model=SiteCollection,
    response_class=GeoJSONResponse,
    responses=CSV_ALSO,
)
async def suggestions(
    engine: ReplicaEngineDep,
    state: AnalysisDep,
    settings: SettingsDep,
    region: Region,
    kind: Kind,
    k: Annotated[int, Query(description="How many new sites.")] = 5,
    profile: Profile = None,
    coordsys: CoordSysDep = "wgs84",
    format: GeoFormat = "geojson",
) -> Response:
    """The k new sites covering the most uncovered residents (MCLP), with the gap."""
    body = await analysis.suggestions(
        engine, state, region, kind, k, profile, Limits.of(settings), coordsys
    )
    return renderers.geojson_or_csv(body, format, f"suggestions_{region}_{kind}.csv")


@router.get(
    "/targets", operation_id="region_targets", response_model=TargetsAnswer, responses=CSV_ALSO
)
async def targets(
    engine: ReplicaEngineDep, state: AnalysisDep, region: Region, format: Format = "json"
) -> Response:
    """Each computable indicator against the city's target and year, with its citation."""
    body = await target_service.targets(engine, state, region)
    if format == "csv":
        return renderers.targets_csv(body, f"targets_{region}.csv")
    return renderers.json_body(body)
