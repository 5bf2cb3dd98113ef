"""Coverage and holes per region and kind: who lives inside the walking circle that applies.

Each surface piece (township × H3 cell) is covered when the nearest open facility of the
kind is within its township's circle minutes (15 in a 街道, 30 in a 镇/乡, by the city's
cited rule), walking from the cell's centre at the group's profile. Walking times come
from one multi-source Dijkstra over the city's network (`geo.analysis.access`). A
cell centre farther than the snapping limit from any road counts as outside and is
reported as `off_network`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import analysis as aq
from app.domain.planning import Group, group_for
from app.domain.vocabulary import kinds
from app.errors import BadRequest
from app.services.analysis_state import AnalysisState, CityAnalysis, RegionInfo
from geo.analysis.access import nearest_sources, terms
from geo.analysis.access import seconds_at as access_seconds_at
from geo.analysis.surface import cell_neighbours, cell_polygon
from geo.walk import Snap, WalkProfile, snap_many


@dataclass(frozen=True, slots=True, eq=False)
class Access:
    """Walking access of a region's pieces to the nearest open facility of one kind."""

    city: CityAnalysis
    region: RegionInfo
    kind: str
    group: Group
    profile: WalkProfile
    facilities: list[Any]
    placed: int
    pieces: NDArray[np.int64]
    seconds: NDArray[np.float64]
    source: NDArray[np.int64]
    """Index into `facilities` of each piece's nearest facility (−1: none within reach)."""
    snapped: NDArray[np.bool_]
    covered: NDArray[np.bool_]
    people: NDArray[np.int64]


def check_kind(kind: str) -> str:
    if kind not in kinds():
        raise BadRequest("kind", f"unknown kind {kind[:40]!r} (see /v1/kinds)")
    return kind


def profile_for(city: CityAnalysis, code: str | None, group: Group) -> WalkProfile:
    chosen = code or group.profile
    profile = city.walk.profiles.get(chosen)
    if profile is None:
        allowed = ", ".join(sorted(city.walk.profiles))
        raise BadRequest("profile", f"unknown profile {chosen[:30]!r}; allowed: {allowed}")
    return profile


def check_size(city: CityAnalysis, region: RegionInfo, max_pieces: int) -> NDArray[np.int64]:
    pieces = city.pieces_in(region.code)
    if len(pieces) > max_pieces:
        raise BadRequest(
            "region",
            f"{region.name} has {len(pieces)} populated hexagons; the limit is {max_pieces} "
            "(YLYX_ANALYSIS_MAX_PIECES): choose a smaller region",
        )
    return pieces


def compute_access(
    city: CityAnalysis,
    region: RegionInfo,
    kind: str,
    profile: WalkProfile,
    facilities: list[Any],
    pieces: NDArray[np.int64],
    search_minutes: float,
) -> Access:
    """CPU part: snap facilities, one multi-source Dijkstra, seconds at every piece."""
    network = city.walk.network
    snaps = snap_many(
        network,
        [(f.lon, f.lat) for f in facilities],
        max_distance_m=city.max_snap_m,
        avoid_steps=profile.avoid_steps,
    )
    placed = [i for i, s in enumerate(snaps) if s is not None]
    nearest = nearest_sources(
        network, profile, [s for s in snaps if s is not None], search_minutes * 60.0
    )
    all_snaps = city.snaps(profile.avoid_steps)
    piece_snaps: list[Snap | None] = [all_snaps[i] for i in pieces.tolist()]
    snapped = np.array([s is not None for s in piece_snaps], dtype=bool)
    seconds = np.full(len(pieces), np.inf)
    source = np.full(len(pieces), -1, dtype=np.int64)
    present = np.flatnonzero(snapped)
    if len(present):
        t = terms(network, profile, [s for s in piece_snaps if s is not None])
        sec, src = access_seconds_at(network, nearest, t)
        seconds[present] = sec
        source[present] = np.where(src >= 0, np.array([*placed, -1])[src], -1)
    group = group_for(kind)
    covered = seconds <= city.minutes[pieces] * 60.0
    people = city.surface.pop[group.code][pieces]
    return Access(
        city,
        region,
        kind,
        group,
        profile,
        facilities,
        len(placed),
        pieces,
        seconds,
        source,
        snapped,
        covered,
        people,
    )


async def access_for(
    engine: AsyncEngine,
    state: AnalysisState,
    region_code: str,
    kind: str,
    profile_code: str | None,
    max_pieces: int,
    search_minutes: float,
) -> Access:
    city, region = state.city_of(region_code)
    check_kind(kind)
    group = group_for(kind)
    profile = profile_for(city, profile_code, group)
    pieces = check_size(city, region, max_pieces)
    async with engine.connect() as conn:
        facilities = list(await aq.open_facilities_of_kinds(conn, city.city_code, [kind]))
    return await state.run(
        compute_access, city, region, kind, profile, facilities, pieces, search_minutes
    )


def _tally(people: NDArray[np.int64], covered: NDArray[np.bool_]) -> dict[str, Any]:
    total = int(people.sum())
    inside = int(people[covered].sum())
    return {
        "population": total,
        "covered": inside,
        "outside": total - inside,
        "share": round(inside / total, 4) if total else None,
    }


def _circle(city: CityAnalysis) -> dict[str, Any]:
    urban, urban_source = city.walk.rule.minutes_for("urban")
    rural, rural_source = city.walk.rule.minutes_for("rural")
    return {
        "urban_minutes": urban,
        "rural_minutes": rural,
        "urban_source": urban_source,
        "rural_source": rural_source,
    }


def head(a: Access) -> dict[str, Any]:
    """What every analysis answer starts with: region, kind, group, profile, circle."""
    return {
        "region": {"code": a.region.code, "name": a.region.name, "level": a.region.level},
        "kind": {"code": a.kind, "name_zh": kinds()[a.kind].name_zh},
        "population_group": {"code": a.group.code, "name_zh": a.group.name_zh},
        "profile": {"code": a.profile.code, "name_zh": a.profile.name_zh},
        "circle": _circle(a.city),
        "facilities": len(a.facilities),
        "facilities_off_network": len(a.facilities) - a.placed,
        "surface": {"resolution": a.city.surface.resolution, "method": a.city.surface.method},
    }


def coverage_answer(a: Access) -> dict[str, Any]:
    surface = a.city.surface
    town_of_piece = np.array([surface.townships[i].code for i in surface.township[a.pieces]])
    off = int(a.people[~a.snapped].sum())
    rows = []
    for child in sorted(a.city.children(a.region.code), key=lambda r: r.code):
        inside = np.isin(town_of_piece, list(a.city.township_codes(child.code)))
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "level": child.level,
                "urban_rural": child.urban_rural,
                **_tally(a.people[inside], a.covered[inside]),
            }
        )
    return {
        **head(a),
        **_tally(a.people, a.covered),
        "off_network": off,
        "breakdown": rows,
    }


def _components(cells: list[int]) -> list[list[int]]:
    """Groups of edge-adjacent H3 cells (breadth-first over each cell's ring)."""
    left = set(cells)
    groups: list[list[int]] = []
    for start in cells:
        if start not in left:
            continue
        left.discard(start)
        queue, group = deque([start]), [start]
        while queue:
            for n in cell_neighbours(queue.popleft()):
                if n in left:
                    left.discard(n)
                    queue.append(n)
                    group.append(n)
        groups.append(sorted(group))
    return groups


def holes(a: Access, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Uncovered populated areas, largest first: (features in WGS-84, how many in all).

    A hole is a group of edge-adjacent uncovered hexagons within one township, so each
    belongs to one 街道/乡镇 office to act on."""
    surface = a.city.surface
    out = ~a.covered & (a.people > 0)
    by_town: dict[int, dict[int, list[int]]] = {}
    for j in np.flatnonzero(out).tolist():
        piece = int(a.pieces[j])
        cells = by_town.setdefault(int(surface.township[piece]), {})
        cells.setdefault(int(surface.cells[piece]), []).append(j)
    found = []
    groups = [
        (town, group, [j for c in group for j in cells[c]])
        for town, cells in sorted(by_town.items())
        for group in _components(sorted(cells))
    ]
    for town, group, members in groups:
        people = int(a.people[members].sum())
        everyone = int(surface.pop["all"][a.pieces[members]].sum())
        best = min(members, key=lambda j: (a.seconds[j], j))
        nearest = None
        if np.isfinite(a.seconds[best]) and a.source[best] >= 0:
            f = a.facilities[int(a.source[best])]
            nearest = {
                "id": f.public_id,
                "name": f.name,
                "walk_minutes": round(float(a.seconds[best]) / 60.0, 1),
            }
        found.append(
            (
                people,
                group[0],
                {
                    "population": people,
                    "population_all": everyone,
                    "off_network": int(a.people[[j for j in members if not a.snapped[j]]].sum()),
                    "cells": len(group),
                    "township_code": surface.townships[town].code,
                    "township_name": a.city.regions[surface.townships[town].code].name,
                    "nearest": nearest,
                },
                group,
            )
        )
    found.sort(key=lambda h: (-h[0], h[1]))
    features = [
        {
            "rank": i + 1,
            "properties": props,
            "geometry": shapely.union_all([cell_polygon(c) for c in group]),
        }
        for i, (_, _, props, group) in enumerate(found[:limit])
    ]
    return features, len(found)
