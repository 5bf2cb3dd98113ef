"""What is in and near a chosen 街道/乡镇 or 社区, for a resident who gives no location."""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import shape
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import facilities as fq
from app.db.queries import regions as rq
from app.domain.filters import FacilityFilter
from app.domain.tally import region_sentence, tally
from app.domain.vacancy import Freshness
from app.errors import BadRequest, NotFound
from app.services import render
from app.services.area_coverage import area_coverage
from app.services.walking import Walking, profile_of
from geo.sampling import polygon_points

LEVELS = ("township", "community")


async def region_services(
    engine: AsyncEngine,
    walking: Walking,
    code: str,
    profile_code: str,
    coordsys: str,
    limit: int,
    freshness: Freshness,
    max_samples: int,
    max_facilities: int,
) -> dict[str, Any]:
    """Facilities in the region (counts by kind, 普惠, vacancies), the circle rule that
    applies there, and walking coverage checked at places across the region."""
    async with engine.connect() as conn:
        region = await rq.region_detail(conn, code, with_boundary=True)
        if region is None:
            raise NotFound(f"no region with code {code!r}")
        profile_of(walking.city(region.city_code), profile_code)  # a bad profile is named first
        if region.level not in LEVELS:
            raise BadRequest(
                "code",
                f"a {region.level} is too large: choose a 街道/乡镇 or 社区 (level "
                "township or community, e.g. GET /v1/regions?q=莲花)",
            )
        page = await fq.facilities_in_region(
            conn, code, region.level, FacilityFilter(freshness=freshness), max_facilities + 1
        )
    rows = page.rows[:max_facilities]
    items = [render.facility_summary(r, coordsys, freshness) for r in rows]
    counts = tally(items)
    urban_rural = region.urban_rural or "rural"
    city = walking.city(region.city_code)
    minutes, rule = city.rule.minutes_for(urban_rural)
    points = polygon_points(shape(json.loads(region.boundary_geojson)), max_samples)
    coverage = await area_coverage(engine, walking, region.city_code, points, profile_code)
    return {
        "region": {
            "code": region.code,
            "name": region.name,
            "level": region.level,
            "unit_type": region.unit_type,
            "parent_code": region.parent_code,
            "city_code": region.city_code,
            "urban_rural": urban_rural,
            "boundary_source": region.boundary_source,
        },
        "circle": {"urban_rural": urban_rural, "minutes": minutes, "rule": rule},
        "summary_zh": region_sentence(region.name, urban_rural, minutes, counts),
        **counts,
        "facilities_total": page.total,
        "coverage": coverage,
        "items": sorted(items, key=lambda i: (i["status"] != "open", not i["puhui"], i["id"]))[
            :limit
        ],
        "more_items": len(items) > limit,
    }
