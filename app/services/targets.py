"""How far a region is from the targets its city has set (seed/targets/<city>.toml)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import analysis as aq
from app.domain.targets import Site, Unit, evaluate
from app.services.analysis_state import AnalysisState, CityAnalysis, RegionInfo


def _in_region(city: CityAnalysis, region: RegionInfo, code: str | None) -> bool:
    """Whether a region code (county, township or community) lies in `region`."""
    while code is not None:
        if code == region.code:
            return True
        info = city.regions.get(code)
        code = info.parent_code if info is not None else None
    return False


def _units(city: CityAnalysis, region: RegionInfo) -> dict[str, list[Unit]]:
    out: dict[str, list[Unit]] = {"county": [], "township": [], "community": []}
    for r in sorted(city.regions.values(), key=lambda r: r.code):
        if r.level in out and _in_region(city, region, r.code):
            out[r.level].append(Unit(r.code, r.name, r.unit_type))
    return out


async def targets(engine: AsyncEngine, state: AnalysisState, region_code: str) -> dict[str, Any]:
    """Each computable indicator of the region's city against its target, with citation."""
    city, region = state.city_of(region_code)
    async with engine.connect() as conn:
        rows = await aq.facility_capacities(conn, city.city_code)
    place = {"city": None, "county": "county_code", "township": "township_code"}[region.level]
    sites = [
        Site(
            tuple(r.kinds),
            r.county_code,
            r.township_code,
            r.community_code,
            r.beds,
            r.nursing_beds,
            r.childcare_places,
            bool(r.puhui),
        )
        for r in rows
        if place is None or getattr(r, place) == region.code
    ]
    units = _units(city, region)
    indicators = [
        evaluate(t, sites, region.pop_total, units[t.unit_level or "township"])
        for t in state.targets.get(city.city_code, ())
        if region.level in t.scope
    ]
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "population": region.pop_total,
        "source": f"seed/targets/{city.city_code}.toml",
        "indicators": indicators,
    }
