"""Coverage of an area, place by place: a fuzzy location's uncertainty disc or a 街道/社区.

A single point cannot stand for an area: the answer is checked at sample places across
it (geo.sampling), each judged like a precise home (walking minutes on the street
network against the circle of the 街道/乡镇 the place lies in), and each kind gets
`covered` (at every checked place), `not_covered` (at none) or `depends` (at some, with
the share). Places farther than YLYX_WALK_MAX_SNAP_M from a road or outside the city are
not checked and are counted as such.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import regions as rq
from app.db.queries import walking as wq
from app.domain.circles import Circle, Member
from app.domain.fuzzy import verdict
from app.domain.plain_zh import area_sentence
from app.domain.vocabulary import kinds
from app.errors import BadRequest
from app.services.walking import CityWalk, Walking, minutes_of, profile_of, profile_out
from geo.walk import reach_many, seconds_to_targets, snap_many

FACILITIES_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Place:
    """A sample place: its township (None outside the city) and circle minutes."""

    lon: float
    lat: float
    township: Any  # the region row; None outside the city
    minutes: float | None


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dx = (b[0] - a[0]) * 111_320.0 * math.cos(math.radians(a[1]))
    return math.hypot(dx, (b[1] - a[1]) * 110_574.0)


def _members(circle: Circle, classes: list[str]) -> list[Member]:
    seen: dict[str, Member] = {}
    for urban_rural in classes:
        for m in circle.kinds_for(urban_rural):
            seen.setdefault(m.kind, m)
    return list(seen.values())


def _minutes_text(values: set[float]) -> str:
    return " 或 ".join(f"{m:g}" for m in sorted(values))


async def area_coverage(
    engine: AsyncEngine,
    walking: Walking,
    city_code: str,
    points: list[tuple[float, float]],
    profile_code: str,
) -> dict[str, Any]:
    """Per circle and kind: covered / not_covered / depends over `points` (WGS-84)."""
    city = walking.city(city_code)
    profile = profile_of(city, profile_code)
    places = []
    async with engine.connect() as conn:
        for lon, lat in points:
            covering = await rq.regions_covering(conn, lon, lat)
            in_city = any(r.level == "city" and r.code == city_code for r in covering)
            township = next((r for r in covering if r.level == "township"), None)
            if not in_city or township is None:
                places.append(Place(lon, lat, None, None))
                continue
            minutes, _ = city.rule.minutes_for(township.urban_rural or "rural")
            places.append(Place(lon, lat, township, minutes))
        inside = [p for p in places if p.township is not None]
        if not inside:
            raise BadRequest("lon", "the area lies outside every city this service covers")
        classes = sorted({p.township.urban_rural or "rural" for p in inside})
        members = sorted({m.kind for c in city.circles for m in _members(c, classes)})
        longest = max(p.minutes or 0.0 for p in inside)
        centre = points[0]
        spread = max(_metres(centre, (p.lon, p.lat)) for p in places)
        radius = spread + profile.speed_m_s * longest * 60.0 + 2 * walking.max_snap_m
        rows = list(await wq.facilities_within(conn, centre[0], centre[1], radius, members))
    return _answer(city, walking, profile_code, places, rows, classes, longest)


def _answer(
    city: CityWalk,
    walking: Walking,
    profile_code: str,
    places: list[Place],
    rows: list[Any],
    classes: list[str],
    longest: float,
) -> dict[str, Any]:
    profile = profile_of(city, profile_code)
    snaps = snap_many(
        city.network,
        [(p.lon, p.lat) for p in places],
        max_distance_m=walking.max_snap_m,
        avoid_steps=profile.avoid_steps,
    )
    checked = [i for i, (p, s) in enumerate(zip(places, snaps, strict=True)) if p.township and s]
    targets = city.snaps([(r.lon, r.lat) for r in rows], profile.avoid_steps)
    origins = [s for s in (snaps[i] for i in checked) if s is not None]
    reaches = reach_many(city.network, profile, origins, longest * 60.0)
    seconds = {
        i: seconds_to_targets(reach, targets) if rows else np.empty(0)
        for i, reach in zip(checked, reaches, strict=True)
    }
    townships: dict[str, dict[str, Any]] = {}
    for i in checked:
        t = places[i].township
        entry = townships.setdefault(
            t.code,
            {
                "code": t.code,
                "name": t.name,
                "urban_rural": t.urban_rural or "rural",
                "circle_minutes": places[i].minutes,
                "circle_rule": city.rule.minutes_for(t.urban_rural or "rural")[1],
                "places": 0,
            },
        )
        entry["places"] += 1
    return {
        "places": {
            "sampled": len(places),
            "checked": len(checked),
            "off_road": sum(1 for p, s in zip(places, snaps, strict=True) if p.township and not s),
            "outside": sum(1 for p in places if p.township is None),
        },
        "townships": sorted(townships.values(), key=lambda t: (-t["places"], t["code"])),
        "profile": profile_out(profile),
        "circles": [
            {
                "code": c.code,
                "name_zh": c.name_zh,
                "cite": c.cite,
                "kinds": [_kind(m, places, checked, seconds, rows) for m in _members(c, classes)],
            }
            for c in city.circles
        ],
    }


def _kind(
    member: Member,
    places: list[Place],
    checked: list[int],
    seconds: dict[int, Any],
    rows: list[Any],
) -> dict[str, Any]:
    name_zh = kinds()[member.kind].name_zh
    of_kind = [j for j, r in enumerate(rows) if member.kind in r.kinds]
    verdicts: list[bool | None] = []
    hits: dict[int, int] = {}
    nearest: dict[int, float] = {}
    minutes_seen: set[float] = set()
    for i in checked:
        place = places[i]
        urban_rural = place.township.urban_rural or "rural"
        if not (member.urban if urban_rural == "urban" else member.rural):
            continue  # the kind does not count in this place's circle
        limit_s = (place.minutes or 0.0) * 60.0
        minutes_seen.add(place.minutes or 0.0)
        inside = [j for j in of_kind if float(seconds[i][j]) <= limit_s]
        for j in inside:
            hits[j] = hits.get(j, 0) + 1
            nearest[j] = min(nearest.get(j, math.inf), float(seconds[i][j]))
        verdicts.append(bool(inside))
    answer = verdict(verdicts)
    covered = sum(1 for v in verdicts if v)
    share = round(covered / len(verdicts), 2) if verdicts else None
    shown = sorted(hits, key=lambda j: (-hits[j], nearest[j], rows[j].public_id))
    return {
        "kind": member.kind,
        "name_zh": name_zh,
        "basis": member.basis,
        "answer": answer,
        "places_checked": len(verdicts),
        "places_covered": covered,
        "share_covered": share,
        "circle_minutes": sorted(minutes_seen),
        "summary_zh": area_sentence(answer, name_zh, _minutes_text(minutes_seen), share),
        "facilities": [
            {
                "id": rows[j].public_id,
                "name": rows[j].name,
                "places_covered": hits[j],
                "best_walk_minutes": minutes_of(nearest[j]),
            }
            for j in shown[:FACILITIES_SHOWN]
        ],
    }
