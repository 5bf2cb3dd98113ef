"""Point coverage: is a home inside the 15/30-minute circle that applies there, and by what?

Judged by walking minutes on the city's street network, never by metres: a facility
400 m away across a river with no bridge near is not inside a 15-minute circle. When a
kind is not covered the answer names the nearest facility by walking time and says so in
`note`, giving the straight-line distance only for contrast.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import walking as wq
from app.domain.circles import Circle
from app.domain.fuzzy import ACCURACY_SOURCE
from app.domain.vocabulary import kinds
from app.services.area_coverage import area_coverage
from app.services.render import lon_lat
from app.services.walking import (
    CityWalk,
    Walking,
    home_region,
    minutes_of,
    profile_of,
    profile_out,
)
from geo.sampling import disc_points
from geo.walk import Reach, WalkProfile, seconds_from, seconds_to_targets, snap


def _times_to(
    city: CityWalk, profile: WalkProfile, reach: Reach, rows: list[Any]
) -> np.ndarray[Any, np.dtype[np.float64]]:
    if not rows:
        return np.empty(0)
    snaps = city.snaps([(r.lon, r.lat) for r in rows], profile.avoid_steps)
    return seconds_to_targets(reach, snaps)


def _reached(seconds: float, row: Any) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "name": row.name,
        "walk_minutes": minutes_of(seconds),
        "walk_seconds": round(seconds),
        "distance_m": round(float(row.distance_m), 1),
    }


def _note(name_zh: str, nearest: dict[str, Any] | None, minutes: float, search: float) -> str:
    if nearest is None:
        return f"not covered: no {name_zh} within {search:g} walking minutes"
    return (
        f"not covered: the nearest {name_zh} is {nearest['walk_minutes']:g} walking minutes away,"
        f" beyond the {minutes:g}-minute circle (straight line {nearest['distance_m']:.0f} m;"
        " the circle is judged by walking time on the street network, not by distance)"
    )


def _by_kind(pairs: list[tuple[float, Any]]) -> dict[str, list[tuple[float, Any]]]:
    """Reached facilities per kind, nearest first (ties by id)."""
    out: dict[str, list[tuple[float, Any]]] = {}
    for s, r in sorted(
        (p for p in pairs if math.isfinite(p[0])), key=lambda p: (p[0], p[1].public_id)
    ):
        for kind in r.kinds:
            out.setdefault(kind, []).append((s, r))
    return out


def _kind_answer(
    kind: Any, found: list[tuple[float, Any]], minutes: float, search_minutes: float
) -> dict[str, Any]:
    name_zh = kinds()[kind.kind].name_zh
    inside = [_reached(s, r) for s, r in found if s <= minutes * 60]
    nearest = None if inside or not found else _reached(*found[0])
    return {
        "kind": kind.kind,
        "name_zh": name_zh,
        "basis": kind.basis,
        "covered": bool(inside),
        "facilities": inside,
        "nearest": nearest,
        "note": None if inside else _note(name_zh, nearest, minutes, search_minutes),
    }


def _unsnapped(circles: tuple[Circle, ...], urban_rural: str) -> list[dict[str, Any]]:
    return [
        {
            "code": c.code,
            "name_zh": c.name_zh,
            "cite": c.cite,
            "kinds": [
                {
                    "kind": m.kind,
                    "name_zh": kinds()[m.kind].name_zh,
                    "basis": m.basis,
                    "covered": None,
                    "facilities": [],
                    "nearest": None,
                    "note": "unknown: the home is too far from any road to walk from",
                }
                for m in c.kinds_for(urban_rural)
            ],
        }
        for c in circles
    ]


async def coverage(
    engine: AsyncEngine, walking: Walking, lon: float, lat: float, coordsys: str, profile_code: str
) -> dict[str, Any]:
    """For each kind in a circle: is the home inside the circle that applies here, by what."""
    async with engine.connect() as conn:
        city_row, township = await home_region(conn, lon, lat)
        city = walking.city(city_row.code)
        profile = profile_of(city, profile_code)
        urban_rural = township.urban_rural or "rural"
        members = sorted({m.kind for c in city.circles for m in c.kinds_for(urban_rural)})
        radius = profile.speed_m_s * walking.max_search_minutes * 60.0 + 2 * walking.max_snap_m
        rows = list(await wq.facilities_within(conn, lon, lat, radius, members))
    minutes, rule_source = city.rule.minutes_for(urban_rural)
    home = snap(
        city.network, lon, lat, max_distance_m=walking.max_snap_m, avoid_steps=profile.avoid_steps
    )
    answer: dict[str, Any] = {
        "approximate": False,
        "home": lon_lat(lon, lat, coordsys),
        "city": {"code": city_row.code, "name": city_row.name},
        "township": {"code": township.code, "name": township.name, "urban_rural": urban_rural},
        "profile": profile_out(profile),
        "circle_minutes": minutes,
        "circle_rule": rule_source,
    }
    if home is None:
        reason = f"no walkable road within {walking.max_snap_m:g} m"
        return answer | {
            "snap": {"snapped": False, "reason": reason},
            "circles": _unsnapped(city.circles, urban_rural),
        }
    cutoff_s = walking.max_search_minutes * 60.0
    reach = seconds_from(city.network, profile, home, cutoff_s)
    seconds = _times_to(city, profile, reach, rows)
    by_kind = _by_kind([(float(s), r) for s, r in zip(seconds.tolist(), rows, strict=True)])
    return answer | {
        "snap": {
            "snapped": True,
            "distance_m": round(home.snap_distance_m, 1),
            "point": lon_lat(home.lon, home.lat, coordsys),
        },
        "circles": [
            {
                "code": c.code,
                "name_zh": c.name_zh,
                "cite": c.cite,
                "kinds": [
                    _kind_answer(m, by_kind.get(m.kind, []), minutes, walking.max_search_minutes)
                    for m in c.kinds_for(urban_rural)
                ],
            }
            for c in city.circles
        ],
    }


async def fuzzy_coverage(
    engine: AsyncEngine,
    walking: Walking,
    lon: float,
    lat: float,
    coordsys: str,
    profile_code: str,
    accuracy_m: int,
) -> dict[str, Any]:
    """Coverage for a location known to within `accuracy_m`: checked across that disc."""
    async with engine.connect() as conn:
        city_row, _ = await home_region(conn, lon, lat)
    points = disc_points(lon, lat, accuracy_m)
    body = await area_coverage(engine, walking, city_row.code, points, profile_code)
    return {
        "approximate": True,
        "centre": lon_lat(lon, lat, coordsys),
        "accuracy_m": accuracy_m,
        "accuracy_source": ACCURACY_SOURCE,
        "city": {"code": city_row.code, "name": city_row.name},
        **body,
    }
