"""Finding services: nearby, detail, by region, text search, regions, vocabularies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import facilities as fq
from app.db.queries import regions as rq
from app.domain.cursors import decode_cursor, encode_cursor
from app.domain.filters import FacilityFilter
from app.domain.fuzzy import ACCURACY_SOURCE, distance_range
from app.domain.search_text import query_terms
from app.domain.vacancy import Freshness
from app.errors import BadRequest, InvalidCursor, NotFound
from app.services import render
from geo.coords import from_wgs84


@dataclass(frozen=True, slots=True)
class NearbySpec:
    """A validated nearby search; lon/lat already in WGS-84."""

    lon: float
    lat: float
    coordsys: str
    radius_m: int
    filter: FacilityFilter
    limit: int
    cursor: str | None
    sort: str = "distance"
    profile: str | None = None
    fields: tuple[str, ...] | None = None  # compact answers: only these item fields
    accuracy_m: int | None = None  # an approximate location: metres of uncertainty
    view: str = "full"

    @property
    def search_radius_m(self) -> int:
        """With an uncertain origin, the radius around the reported point that holds
        everything within `radius_m` of wherever the caller really is."""
        return self.radius_m + (self.accuracy_m or 0)

    def fingerprint(self) -> str:
        return (
            f"near|{self.lon!r}|{self.lat!r}|{self.radius_m}|{self.filter.fingerprint()}"
            f"|{self.sort}|{self.profile}|{self.accuracy_m}"
        )


async def nearby(engine: AsyncEngine, secret: str, spec: NearbySpec) -> dict[str, Any]:
    after: tuple[float, str] | None = None
    if spec.cursor is not None:
        position = decode_cursor(secret, spec.fingerprint(), spec.cursor)
        if (
            len(position) != 2
            or not isinstance(position[0], float | int)
            or not isinstance(position[1], str)
        ):
            raise InvalidCursor()
        after = (float(position[0]), position[1])
    async with engine.connect() as conn:
        page = await fq.facilities_near(
            conn, spec.lon, spec.lat, spec.search_radius_m, spec.filter, spec.limit + 1, after
        )
    rows = page.rows[: spec.limit]
    next_cursor = None
    if len(page.rows) > spec.limit:
        last = rows[-1]
        next_cursor = encode_cursor(secret, spec.fingerprint(), [last.distance_m, last.public_id])
    items = []
    for row in rows:
        item = render.facility_summary(row, spec.coordsys, spec.filter.freshness)
        item["distance_m"] = round(row.distance_m, 2)
        if spec.accuracy_m is not None:
            low, high = distance_range(row.distance_m, spec.accuracy_m)
            item["distance_range_m"] = {"min": round(low), "max": round(high)}
        items.append(item)
    body = {
        "origin": render.lon_lat(spec.lon, spec.lat, spec.coordsys),
        "radius_m": spec.radius_m,
        "total": page.total,
        "items": items,
        "next_cursor": next_cursor,
    }
    if spec.accuracy_m is not None:
        body |= {
            "approximate": True,
            "accuracy_m": spec.accuracy_m,
            "accuracy_source": ACCURACY_SOURCE,
        }
    return body


async def facility(
    engine: AsyncEngine, public_id: str, coordsys: str, freshness: Freshness
) -> dict[str, Any]:
    async with engine.connect() as conn:
        found = await fq.facility_detail(conn, public_id)
    if found is None:
        raise NotFound(f"no facility with id {public_id!r}")
    row, prices, hours = found
    return render.facility_detail(row, prices, hours, coordsys, freshness)


async def region_facilities(
    engine: AsyncEngine,
    secret: str,
    region_code: str,
    flt: FacilityFilter,
    limit: int,
    cursor: str | None,
    coordsys: str,
) -> dict[str, Any]:
    fingerprint = f"region|{region_code}|{flt.fingerprint()}"
    after = None
    if cursor is not None:
        position = decode_cursor(secret, fingerprint, cursor)
        if len(position) != 1 or not isinstance(position[0], str):
            raise InvalidCursor()
        after = position[0]
    async with engine.connect() as conn:
        level = await rq.region_exists(conn, region_code)
        if level is None:
            raise NotFound(f"no region with code {region_code!r}")
        page = await fq.facilities_in_region(conn, region_code, level, flt, limit + 1, after)
    rows = page.rows[:limit]
    next_cursor = None
    if len(page.rows) > limit:
        next_cursor = encode_cursor(secret, fingerprint, [rows[-1].public_id])
    return {
        "total": page.total,
        "items": [render.facility_summary(r, coordsys, flt.freshness) for r in rows],
        "next_cursor": next_cursor,
    }


async def search(
    engine: AsyncEngine, query: str, flt: FacilityFilter, limit: int, coordsys: str
) -> dict[str, Any]:
    terms = query_terms(query)
    if not terms:
        raise BadRequest("q", "must contain at least one Chinese character, letter or digit")
    async with engine.connect() as conn:
        rows = await fq.search_facilities(conn, terms, query, flt, limit)
    items = []
    for row in rows:
        item = render.facility_summary(row, coordsys, flt.freshness)
        item["rank"] = round(float(row.rank) + (1.0 if row.name_hit else 0.0), 6)
        items.append(item)
    return {"query": query, "items": items}


async def regions(
    engine: AsyncEngine,
    level: str | None,
    parent: str | None,
    city: str | None,
    name_part: str | None = None,
) -> dict[str, Any]:
    if name_part is not None and (not name_part.strip() or "\x00" in name_part):
        raise BadRequest("q", "give part of a region's name, e.g. 莲花")
    async with engine.connect() as conn:
        rows = await rq.regions(conn, level, parent, city, name_part and name_part.strip())
    return {"items": [render.region_summary(r) for r in rows]}


async def region(
    engine: AsyncEngine, code: str, coordsys: str, with_boundary: bool
) -> dict[str, Any]:
    async with engine.connect() as conn:
        row = await rq.region_detail(conn, code, with_boundary)
    if row is None:
        raise NotFound(f"no region with code {code!r}")
    out = render.region_summary(row)
    out["area_km2"] = None if row.area_km2 is None else round(row.area_km2, 3)
    out["coordsys"] = coordsys
    boundary = None
    if with_boundary and row.boundary_geojson is not None:
        boundary = convert_geometry(json.loads(row.boundary_geojson), coordsys)
    out["boundary"] = boundary
    if out["seat"] is not None:
        out["seat"] = render.lon_lat(row.seat_lon, row.seat_lat, coordsys)
    return out


def convert_geometry(geometry: dict[str, Any], coordsys: str) -> dict[str, Any]:
    """Convert every vertex of a (Multi)Polygon GeoJSON geometry from WGS-84."""
    if coordsys == "wgs84":
        return geometry

    def ring(coords: list[list[float]]) -> list[list[float]]:
        return [[round(v, 7) for v in from_wgs84(x, y, coordsys)] for x, y in coords]

    if geometry["type"] == "Polygon":
        geometry["coordinates"] = [ring(r) for r in geometry["coordinates"]]
    else:
        geometry["coordinates"] = [[ring(r) for r in poly] for poly in geometry["coordinates"]]
    return geometry
