"""Planning answers for community workers: population, coverage, holes, site suggestions.

Every answer is a JSON-ready dict; CPU work runs in worker threads (`AnalysisState.run`).
Coordinates go out in the caller's `coordsys`; the surface and networks are WGS-84.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import analysis as aq
from app.errors import BadRequest
from app.services import region_coverage as cov
from app.services.analysis_state import AnalysisState, CityAnalysis, RegionInfo
from app.services.finder import convert_geometry
from app.services.render import lon_lat
from app.services.siting import SitingLimits, check_k, suggest
from app.settings import Settings
from geo.analysis.surface import cell_polygon


@dataclass(frozen=True, slots=True)
class Limits:
    max_pieces: int
    max_holes: int
    search_minutes: float
    siting: SitingLimits

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            settings.analysis_max_pieces,
            settings.analysis_max_holes,
            settings.walk_max_search_minutes,
            SitingLimits(
                settings.suggest_max_k,
                settings.suggest_max_candidates,
                settings.suggest_exact_max_candidates,
                settings.suggest_time_limit_s,
            ),
        )


def _geometry(geom: shapely.Geometry, coordsys: str) -> dict[str, Any]:
    mapped = shapely.geometry.mapping(geom)
    out = {"type": mapped["type"], "coordinates": _lists(mapped["coordinates"])}
    return convert_geometry(out, coordsys)


def _lists(value: Any) -> Any:
    if isinstance(value, tuple | list) and value and isinstance(value[0], float | int):
        return [round(float(v), 7) for v in value]
    return [_lists(v) for v in value]


def _population_cells(
    city: CityAnalysis, region: RegionInfo, max_pieces: int, coordsys: str
) -> dict[str, Any]:
    surface = city.surface
    pieces = cov.check_size(city, region, max_pieces)
    cells, inverse = np.unique(surface.cells[pieces], return_inverse=True)
    sums = {
        g: np.bincount(inverse.ravel(), weights=surface.pop[g][pieces], minlength=len(cells))
        for g in surface.pop
    }
    features = [
        {
            "type": "Feature",
            "id": format(int(c), "x"),
            "properties": {
                "h3": format(int(c), "x"),
                "pop_total": int(sums["all"][i]),
                "pop_60p": int(sums["60p"][i]),
                "pop_0_3": int(sums["0_3"][i]),
            },
            "geometry": _geometry(cell_polygon(int(c)), coordsys),
        }
        for i, c in enumerate(cells.tolist())
    ]
    return {
        "type": "FeatureCollection",
        "coordsys": coordsys,
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "resolution": surface.resolution,
        "method": surface.method,
        "totals": {
            "pop_total": int(surface.pop["all"][pieces].sum()),
            "pop_60p": int(surface.pop["60p"][pieces].sum()),
            "pop_0_3": int(surface.pop["0_3"][pieces].sum()),
        },
        "features": features,
    }


async def population(
    state: AnalysisState, region_code: str, limits: Limits, coordsys: str
) -> dict[str, Any]:
    """The population surface of a region as H3 hexagons (a cell on a township border
    sums both townships' shares)."""
    city, region = state.city_of(region_code)
    return await state.run(_population_cells, city, region, limits.max_pieces, coordsys)


async def coverage(
    engine: AsyncEngine,
    state: AnalysisState,
    region_code: str,
    kind: str,
    profile: str | None,
    limits: Limits,
) -> dict[str, Any]:
    """Share and count of the kind's population inside / outside the applicable circle."""
    access = await cov.access_for(
        engine, state, region_code, kind, profile, limits.max_pieces, limits.search_minutes
    )
    return cov.coverage_answer(access)


async def coverage_layer(
    engine: AsyncEngine,
    state: AnalysisState,
    region_code: str,
    kind: str,
    profile: str | None,
    limits: Limits,
    coordsys: str,
) -> dict[str, Any]:
    """The coverage table as a map layer: one feature per county or 街道/乡镇 (the region
    itself when it has none below it) with its boundary and its coverage figures."""
    answer = await coverage(engine, state, region_code, kind, profile, limits)
    rows = answer.pop("breakdown") or [
        {
            **answer["region"],
            "urban_rural": None,
            **{k: answer[k] for k in ("population", "covered", "outside", "share")},
        }
    ]
    async with engine.connect() as conn:
        shapes = await aq.region_boundaries(conn, [r["code"] for r in rows])
    return {
        "type": "FeatureCollection",
        "coordsys": coordsys,
        **answer,
        "features": [
            {
                "type": "Feature",
                "properties": row,
                "geometry": convert_geometry(json.loads(shapes[row["code"]]), coordsys),
            }
            for row in rows
            if row["code"] in shapes
        ],
    }


def _holes_collection(a: cov.Access, limit: int, coordsys: str) -> dict[str, Any]:
    features, total = cov.holes(a, limit)
    return {
        "type": "FeatureCollection",
        "coordsys": coordsys,
        **cov.head(a),
        "holes_total": total,
        "features": [
            {
                "type": "Feature",
                "properties": {"rank": f["rank"], **f["properties"]},
                "geometry": _geometry(f["geometry"], coordsys),
            }
            for f in features
        ],
    }


async def holes(
    engine: AsyncEngine,
    state: AnalysisState,
    region_code: str,
    kind: str,
    profile: str | None,
    limit: int,
    limits: Limits,
    coordsys: str,
) -> dict[str, Any]:
    """Uncovered populated areas with their population and nearest facility, largest first."""
    if not 1 <= limit <= limits.max_holes:
        raise BadRequest(
            "limit", f"must be between 1 and {limits.max_holes} (YLYX_ANALYSIS_MAX_HOLES)"
        )
    access = await cov.access_for(
        engine, state, region_code, kind, profile, limits.max_pieces, limits.search_minutes
    )
    return await state.run(_holes_collection, access, limit, coordsys)


def _sites_collection(a: cov.Access, k: int, limits: SitingLimits, coordsys: str) -> dict[str, Any]:
    answer = suggest(a, k, limits)
    sites = answer.pop("sites")
    return {
        "type": "FeatureCollection",
        "coordsys": coordsys,
        **answer,
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "rank": s["rank"],
                    "adds_population": s["adds_population"],
                    "township_code": s["township"]["code"],
                    "township_name": s["township"]["name"],
                    "circle_minutes": s["circle_minutes"],
                },
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        (p := lon_lat(s["lon"], s["lat"], coordsys))["lon"],
                        p["lat"],
                    ],
                },
            }
            for s in sites
        ],
    }


async def suggestions(
    engine: AsyncEngine,
    state: AnalysisState,
    region_code: str,
    kind: str,
    k: int,
    profile: str | None,
    limits: Limits,
    coordsys: str,
) -> dict[str, Any]:
    """The k sites that would newly cover the most uncovered residents (MCLP)."""
    check_k(k, limits.siting)
    access = await cov.access_for(
        engine, state, region_code, kind, profile, limits.max_pieces, limits.search_minutes
    )
    return await state.run(_sites_collection, access, k, limits.siting, coordsys)
