"""Walking time on each city's street network: point coverage, reach areas, walk sort.

Networks are read from PostGIS once at start-up into memory (geo.walk), and the compiled
Dijkstra is warmed then; facilities are read per request, so edits to the registry show
at once (their snaps are cached per exact position, `CityWalk.snaps`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.db.queries import regions as rq
from app.db.queries import walking as wq
from app.domain.circles import Circle, load_circles
from app.domain.vocabulary import kinds
from app.errors import BadRequest, NotFound
from geo.walk import (
    CircleRule,
    Edge,
    Node,
    Snap,
    SnapCache,
    WalkNetwork,
    WalkProfile,
    load_circle_rules,
    load_profiles,
    seconds_from,
    seconds_to_targets,
    snap,
    warm_up,
)


@dataclass(frozen=True, slots=True)
class CityWalk:
    city_code: str
    network: WalkNetwork
    profiles: dict[str, WalkProfile]
    rule: CircleRule
    circles: tuple[Circle, ...]
    source: str
    snap_caches: dict[bool, SnapCache]
    """Facility snaps by `avoid_steps`, kept per exact position."""

    def snaps(self, points: Sequence[tuple[float, float]], avoid_steps: bool) -> list[Snap | None]:
        """Snaps of recurring points such as facilities (None: too far from any road)."""
        return self.snap_caches[avoid_steps].snap_many(points)


@dataclass(frozen=True, slots=True)
class Walking:
    """Everything the walking answers need, loaded once per process."""

    cities: dict[str, CityWalk]
    max_snap_m: float
    max_search_minutes: float
    max_contour_minutes: float

    def city(self, city_code: str) -> CityWalk:
        found = self.cities.get(city_code)
        if found is None:
            raise NotFound(f"no walking network is loaded for city {city_code}")
        return found

    def profile_codes(self) -> list[str]:
        codes: set[str] = set()
        for c in self.cities.values():
            codes |= set(c.profiles)
        return sorted(codes)


async def load_walking(
    engine: AsyncEngine,
    config_dir: Path,
    *,
    max_snap_m: float,
    max_search_minutes: float,
    max_contour_minutes: float,
) -> Walking:
    profiles_text = (config_dir / "walk_profiles.toml").read_text("utf-8")
    rules = load_circle_rules(profiles_text)
    circles = load_circles((config_dir / "service_circles.toml").read_text("utf-8"))
    cities: dict[str, CityWalk] = {}
    async with engine.connect() as conn:
        for code in await wq.network_cities(conn):
            nodes = [Node(int(r.node_id), r.lon, r.lat) for r in await wq.network_nodes(conn, code)]
            edges = _edges(await wq.network_edges(conn, code))
            if code not in rules:
                raise RuntimeError(f"walk_profiles.toml has no circle rule for city {code}")
            network = WalkNetwork(nodes, edges)
            cities[code] = CityWalk(
                city_code=code,
                network=network,
                profiles=load_profiles(profiles_text, code),
                rule=rules[code],
                circles=circles.get(code, ()),
                source="walk_edge",
                snap_caches={
                    avoid: SnapCache(network, max_distance_m=max_snap_m, avoid_steps=avoid)
                    for avoid in (False, True)
                },
            )
    warm_up()
    return Walking(cities, max_snap_m, max_search_minutes, max_contour_minutes)


def _edges(rows: Sequence[Any]) -> list[Edge]:
    """Edges from database rows, decoding all geometries in one vectorised call."""
    if not rows:
        return []
    lines = shapely.from_wkb([bytes(r.wkb) for r in rows])
    coords, owner = shapely.get_coordinates(lines, return_index=True)
    bounds = np.searchsorted(owner, np.arange(len(rows) + 1))
    points: list[tuple[float, float]] = [(float(x), float(y)) for x, y in coords.tolist()]
    return [
        Edge(
            int(r.u),
            int(r.v),
            float(r.length_m),
            bool(r.steps),
            r.kind,
            tuple(points[bounds[k] : bounds[k + 1]]),
            r.name,
        )
        for k, r in enumerate(rows)
    ]


def profile_of(city: CityWalk, code: str) -> WalkProfile:
    """The city's profile by code; a named 400 listing the allowed codes otherwise."""
    profile = city.profiles.get(code)
    if profile is None:
        raise BadRequest(
            "profile", f"unknown profile {code[:30]!r}; allowed: {', '.join(city.profiles)}"
        )
    return profile


def minutes_of(seconds: float) -> float | None:
    """Walking minutes to 0.1 as the API reports them; None for unreachable (∞)."""
    return None if not math.isfinite(seconds) else round(seconds / 60.0, 1)


def profile_out(p: WalkProfile) -> dict[str, Any]:
    return {
        "code": p.code,
        "name_zh": p.name_zh,
        "speed_m_s": p.speed_m_s,
        "avoid_steps": p.avoid_steps,
        "source": p.source,
    }


async def home_region(conn: AsyncConnection, lon: float, lat: float) -> tuple[Any, Any]:
    """(city, township) rows covering a WGS-84 point; a 400 on `lon` outside every city."""
    covering = await rq.regions_covering(conn, lon, lat)
    township = next((r for r in covering if r.level == "township"), None)
    city = next((r for r in covering if r.level == "city"), None)
    if township is None or city is None:
        raise BadRequest("lon", "the point lies outside every city this service covers")
    return city, township


async def walk_seconds_to(
    engine: AsyncEngine,
    walking: Walking,
    lon: float,
    lat: float,
    profile_code: str,
    targets: list[tuple[float, float]],
) -> list[float]:
    """Walking seconds from a point to each target (∞ beyond the search cutoff or off-road)."""
    async with engine.connect() as conn:
        city_row, _ = await home_region(conn, lon, lat)
    city = walking.city(city_row.code)
    profile = profile_of(city, profile_code)
    home = snap(
        city.network, lon, lat, max_distance_m=walking.max_snap_m, avoid_steps=profile.avoid_steps
    )
    if home is None or not targets:
        return [math.inf] * len(targets)
    reach = seconds_from(city.network, profile, home, walking.max_search_minutes * 60.0)
    snaps = city.snaps(targets, profile.avoid_steps)
    return [float(s) for s in seconds_to_targets(reach, snaps)]


def _contours(walking: Walking, minutes: list[float]) -> list[float]:
    if not minutes:
        raise BadRequest("minutes", "give at least one contour, e.g. minutes=15")
    if len(minutes) > 6:
        raise BadRequest("minutes", "at most 6 contours in one call")
    for m in minutes:
        if not (math.isfinite(m) and 0 < m <= walking.max_contour_minutes):
            raise BadRequest(
                "minutes", f"each contour must be > 0 and ≤ {walking.max_contour_minutes:g}"
            )
    return minutes


def _feature(geom: Any, coordsys: str, properties: dict[str, Any]) -> dict[str, Any]:
    from app.services.finder import convert_geometry

    return {
        "type": "Feature",
        "properties": properties,
        "geometry": convert_geometry(shapely.geometry.mapping(geom), coordsys),
    }


async def facility_reach(
    engine: AsyncEngine,
    walking: Walking,
    public_id: str,
    minutes: list[float],
    profile_code: str,
    coordsys: str,
) -> dict[str, Any]:
    """Where one can walk from (and, the network being symmetric, to) a facility."""
    from geo.walk import reach_polygons

    contours = _contours(walking, minutes)
    async with engine.connect() as conn:
        row = await wq.facility_point(conn, public_id)
    if row is None:
        raise NotFound(f"no facility with id {public_id!r}")
    city = walking.city(row.city_code)
    profile = profile_of(city, profile_code)
    origin = snap(
        city.network,
        row.lon,
        row.lat,
        max_distance_m=walking.max_snap_m,
        avoid_steps=profile.avoid_steps,
    )
    if origin is None:
        raise NotFound(f"facility {public_id} is more than {walking.max_snap_m:g} m from any road")
    reach = seconds_from(city.network, profile, origin, max(contours) * 60.0)
    polygons = reach_polygons(reach, contours)
    return {
        "type": "FeatureCollection",
        "coordsys": coordsys,
        "facility": {"id": row.public_id, "name": row.name},
        "profile": profile_out(profile),
        "note": "The walking network is symmetric: the same areas answer 'from where can people "
        "walk here in N minutes'.",
        "features": [
            _feature(p, coordsys, {"minutes": m}) for m, p in zip(contours, polygons, strict=True)
        ],
    }


REGION_COLUMNS = {
    "county": "county_code",
    "township": "township_code",
    "community": "community_code",
    "city": "city_code",
}


async def kind_reach(
    engine: AsyncEngine,
    walking: Walking,
    kind: str,
    region_code: str,
    minutes: float,
    profile_code: str,
    coordsys: str,
    max_facilities: int,
) -> dict[str, Any]:
    """The union of the walking areas of every facility of a kind in a region, for a map."""
    from geo.walk import reach_many, union_reach_polygon

    if kind not in kinds():
        raise BadRequest("kind", f"unknown kind {kind[:40]!r} (see /v1/kinds)")
    _contours(walking, [minutes])
    async with engine.connect() as conn:
        detail = await rq.region_detail(conn, region_code, with_boundary=False)
        if detail is None:
            raise NotFound(f"no region with code {region_code!r}")
        level = detail.level
        rows = list(
            await wq.facilities_of_kind_in_region(
                conn, kind, REGION_COLUMNS[level], region_code, max_facilities + 1
            )
        )
    if len(rows) > max_facilities:
        raise BadRequest(
            "region", f"more than {max_facilities} facilities; choose a smaller region"
        )
    city = walking.city(detail.city_code)
    profile = profile_of(city, profile_code)
    snaps = city.snaps([(r.lon, r.lat) for r in rows], profile.avoid_steps)
    placed = [s for s in snaps if s is not None]
    features = []
    if placed:
        reaches = reach_many(city.network, profile, placed, minutes * 60.0)
        features.append(
            _feature(
                union_reach_polygon(reaches, minutes),
                coordsys,
                {"minutes": minutes, "kind": kind, "facilities": len(placed)},
            )
        )
    return {
        "type": "FeatureCollection",
        "coordsys": coordsys,
        "region": {"code": region_code, "name": detail.name, "level": level},
        "kind": kind,
        "profile": profile_out(profile),
        "facilities": len(rows),
        "facilities_off_network": len(rows) - len(placed),
        "features": features,
    }
