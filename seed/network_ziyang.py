"""The synthetic 资阳 walking network (sample data, 示例): deterministic, documented rules.

No street network of 资阳 is shipped (../shared/data/SOURCES.md), so one is drawn from the
sample city's real county outlines and seats and its synthetic township seats:

1. 沱江: an approximate course (`TUO_RIVER`, hand-drawn control points, Chaikin-smoothed)
   entering 雁江区 from 简阳 in the north-west and leaving towards 资中 in the south,
   passing between the 雁江 county seat and 狮子山街道; clipped to 雁江区; the water is
   the line buffered `RIVER_HALF_WIDTH_M` either side. Approximate sample geometry.
2. Urban cores: around every 街道 seat a disc of `URBAN_RADIUS_M`, merged per county and
   clipped to it, filled with a rotated, jittered grid (`URBAN_SPACING_M`); nodes in the
   water and edges touching it are dropped.
3. Towns: a smaller grid (`TOWN_SPACING_M`, disc of `TOWN_RADIUS_M`) at every 镇/乡 seat.
4. Bridges: three in the 雁江 core at 20 %, 50 % and 80 % of the river's run through it,
   and one in any town the river splits.
5. Roads between settlements (`kind='road'`): Delaunay links of the seats, kept if on the
   minimum spanning tree or shorter than `LINK_MAX_M` with their midpoint in 资阳;
   gently curved, a node every ≤ 100 m. A link across the river keeps a bridge only if
   it lies `RURAL_BRIDGE_SPACING_M` along the river from every other bridge (at most
   `RURAL_BRIDGES_MAX`, shortest links first); the other crossing links are dropped.
6. Repair: any piece left unconnected is joined to the main network by the shortest
   road that stays on its bank (else by a bridge).
7. Steps: about 2 % of urban grid edges become stairs (`kind='path'`, `steps=True`),
   mostly within `STEP_NEAR_RIVER_M` of the water, never leaving a node with fewer than
   two step-free edges.
8. Access lanes (`kind='lane'`): every sample facility farther than `LANE_TRIGGER_M`
   from a road gets a straight lane from the nearest node on its side of the river,
   ending `LANE_END_M` short of it.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from geo.walk import Edge, LocalProjection, Node
from seed.network_build import XY, GraphBuilder, crosses, densify, disc, nearest, road
from seed.network_layout import Settlement, bridge, chaikin, curve, delaunay_links, exit_node, grid
from seed.rows import SampleCities

ZIYANG = "512000"
YANJIANG = "512002"
SEED = "ylyx-walk-2026"
TUO_RIVER: tuple[XY, ...] = (
    *((104.575, 30.330), (104.600, 30.280), (104.640, 30.238), (104.668, 30.198)),
    *((104.672, 30.166), (104.660, 30.148), (104.650, 30.125), (104.641, 30.102)),
    *((104.650, 30.074), (104.676, 30.040), (104.698, 30.000), (104.706, 29.950)),
    *((104.724, 29.900), (104.742, 29.830)),
)
"""Approximate 沱江 control points (WGS-84), sample data: not a surveyed course."""
RIVER_HALF_WIDTH_M = 80.0
URBAN_RADIUS_M, URBAN_SPACING_M, URBAN_JITTER_M = 1_700.0, 135.0, 18.0
TOWN_RADIUS_M, TOWN_SPACING_M, TOWN_JITTER_M = 450.0, 150.0, 15.0
CORE_BRIDGES = ((0.2, "沱江一桥（示例）"), (0.5, "沱江二桥（示例）"), (0.8, "沱江三桥（示例）"))
BRIDGE_CLEARANCE_M = RIVER_HALF_WIDTH_M + 50.0
LINK_MAX_M, LINK_BEND = 12_000.0, 0.06
RURAL_BRIDGE_SPACING_M, RURAL_BRIDGES_MAX = 10_000.0, 4
STEP_NEAR_RIVER_M, STEP_P_NEAR_RIVER, STEP_P_ELSEWHERE = 250.0, 0.25, 0.015
LANE_TRIGGER_M, LANE_END_M = 25.0, 10.0


@dataclass(frozen=True, slots=True)
class ZiyangBuild:
    """Network rows, the river (WGS-84) and counts for the documentation."""

    nodes: list[Node]
    edges: list[Edge]
    river: BaseGeometry
    water: BaseGeometry
    stats: dict[str, int]


def _settlements(
    cities: SampleCities, proj: LocalProjection, water: BaseGeometry
) -> tuple[list[Settlement], list[Settlement], BaseGeometry]:
    regions = {r.code: r for r in cities.regions}
    counties = sorted(
        c for c, r in regions.items() if r.level == "county" and r.parent_code == ZIYANG
    )
    urban: list[Settlement] = []
    towns: list[Settlement] = []
    for code in counties:
        county = regions[code]
        assert county.boundary is not None and county.seat is not None
        county_m = proj.to_metres(county.boundary)
        units = sorted(
            (r for r in cities.regions if r.level == "township" and r.parent_code == code),
            key=lambda r: r.code,
        )
        seats = {r.code: proj.xy(np.array([[r.seat.x, r.seat.y]]))[0] for r in units if r.seat}
        streets = [r for r in units if r.urban_rural == "urban"]
        area = unary_union([disc(tuple(seats[r.code]), URBAN_RADIUS_M) for r in streets])
        anchor = proj.xy(np.array([[county.seat.x, county.seat.y]]))[0]
        urban.append(Settlement(county.name, (anchor[0], anchor[1]), area.intersection(county_m)))
        for r in units:
            if r.urban_rural == "rural":
                xy = (float(seats[r.code][0]), float(seats[r.code][1]))
                towns.append(Settlement(r.name, xy, disc(xy, TOWN_RADIUS_M).intersection(county_m)))
    city = regions[ZIYANG].boundary
    assert city is not None
    return urban, towns, proj.to_metres(city)


def _steps(b: GraphBuilder, core: list[Settlement], water: BaseGeometry, rng: random.Random) -> int:
    """Mark some urban grid edges as stairs, keeping two step-free edges at every node."""
    free = Counter[int]()
    for e in b.edges:
        free[e.a] += 1
        free[e.b] += 1
    near = water.buffer(STEP_NEAR_RIVER_M)
    marked = 0
    for s in core:
        for k in s.grid_edges:
            e = b.edges[k]
            mid = Point((b.xy[e.a][0] + b.xy[e.b][0]) / 2, (b.xy[e.a][1] + b.xy[e.b][1]) / 2)
            p = STEP_P_NEAR_RIVER if near.contains(mid) else STEP_P_ELSEWHERE
            if rng.random() < p and free[e.a] > 2 and free[e.b] > 2:
                e.steps, e.kind = True, "path"
                free[e.a] -= 1
                free[e.b] -= 1
                marked += 1
    return marked


def _repair(b: GraphBuilder, water: BaseGeometry) -> int:
    """Join every stray component to the largest one; returns the number of joins."""
    joins = 0
    while True:
        labels = b.components()
        used = sorted({e.a for e in b.edges} | {e.b for e in b.edges})
        counts = Counter(int(labels[k]) for k in used)
        if len(counts) <= 1:
            return joins
        main = counts.most_common(1)[0][0]
        main_nodes = [k for k in used if labels[k] == main]
        stray = min((k for k in used if labels[k] != main), key=lambda k: k)
        group = [k for k in used if labels[k] == labels[stray]]
        tree = STRtree(shapely.points(np.array([b.xy[k] for k in main_nodes])))
        (src, dst), dist = tree.query_nearest(
            shapely.points(np.array([b.xy[k] for k in group])), return_distance=True
        )
        order = np.argsort(dist, kind="stable")
        pairs = [(group[int(src[i])], main_nodes[int(dst[i])]) for i in order]
        dry = [p for p in pairs if not crosses(b.xy[p[0]], b.xy[p[1]], water)]
        a, c = dry[0] if dry else pairs[0]
        road(
            b,
            a,
            c,
            np.array([b.xy[a], b.xy[c]]),
            "road",
            water,
            allow_bridge=True,
            bridge_name="沱江桥（示例）",
        )
        joins += 1


def _lanes(
    b: GraphBuilder,
    cities: SampleCities,
    proj: LocalProjection,
    river: BaseGeometry,
    water: BaseGeometry,
) -> int:
    """Straight lanes to every 资阳 sample facility farther than LANE_TRIGGER_M from a road."""
    lines = shapely.linestrings(
        np.array([(b.xy[e.a], b.xy[e.b]) for e in b.edges]).reshape(-1, 2),
        indices=np.repeat(np.arange(len(b.edges)), 2),
    )
    edge_tree = STRtree(lines)
    used = sorted({e.a for e in b.edges} | {e.b for e in b.edges})
    node_tree = STRtree(shapely.points(np.array([b.xy[k] for k in used])))
    facilities = [f for f in cities.facilities if f.city_code == ZIYANG]
    pts = proj.xy(np.array([(f.location.x, f.location.y) for f in facilities]))
    (_, _), dist = edge_tree.query_nearest(
        shapely.points(pts), return_distance=True, all_matches=False
    )
    added = 0
    for xy, d in zip(pts, dist.tolist(), strict=True):
        if d <= LANE_TRIGGER_M:
            continue
        target: XY = (float(xy[0]), float(xy[1]))
        wet = bool(water.contains(Point(target)))
        radius = d + 300.0
        while True:
            near = [used[int(k)] for k in node_tree.query(Point(target).buffer(radius))]
            ok = [
                k
                for k in nearest(b, sorted(near), target)
                if not crosses(b.xy[k], target, river)
                and (wet or not crosses(b.xy[k], target, water))
            ]
            if ok:
                break
            radius *= 3.0
        start = ok[0]
        sx, sy = b.xy[start]
        length = math.hypot(target[0] - sx, target[1] - sy)
        cut = max(0.0, length - LANE_END_M) / length
        end_xy = (sx + (target[0] - sx) * cut, sy + (target[1] - sy) * cut)
        points = densify(np.array([b.xy[start], end_xy]))
        end = b.node(*end_xy)
        b.chain(start, end, points[1:-1], "lane")
        added += 1
    return added


def build_ziyang(cities: SampleCities) -> ZiyangBuild:
    """The whole 资阳 network; the same sample cities always give identical rows."""
    regions = {r.code: r for r in cities.regions}
    city = regions[ZIYANG].boundary
    county = regions[YANJIANG].boundary
    assert city is not None and county is not None
    lo = city.bounds
    proj = LocalProjection(round((lo[0] + lo[2]) / 2, 4), round((lo[1] + lo[3]) / 2, 4))
    river_ll = LineString(chaikin(TUO_RIVER)).intersection(county)
    river = proj.to_metres(river_ll)
    water = river.buffer(RIVER_HALF_WIDTH_M, cap_style="flat")
    urban, towns, city_m = _settlements(cities, proj, water)
    b = GraphBuilder(proj)
    rng = random.Random(SEED)
    for s in [*urban, *towns]:
        spacing, jitter = (
            (URBAN_SPACING_M, URBAN_JITTER_M) if s in urban else (TOWN_SPACING_M, TOWN_JITTER_M)
        )
        grid(b, s, spacing, jitter, rng, water)
    stats = Counter[str]()
    pieces = [p for p in shapely.get_parts(river) if isinstance(p, LineString)]
    for s in [*urban, *towns]:
        wet = [p for p in pieces if p.intersects(s.area)]
        if not wet:
            continue
        run = max(wet, key=lambda p: p.intersection(s.area).length)
        inner = run.intersection(s.area)
        if s in urban:
            start = run.project(Point(shapely.get_coordinates(inner)[0]))
            for fraction, name in CORE_BRIDGES:
                stats["core_bridges"] += bridge(
                    b, s.nodes, run, start + fraction * inner.length, BRIDGE_CLEARANCE_M, name
                )
        else:
            station = run.project(Point(s.anchor))
            stats["town_bridges"] += bridge(
                b, s.nodes, run, station, BRIDGE_CLEARANCE_M, f"{s.name}沱江桥（示例）"
            )
    stats["steps"] = _steps(b, urban, water, rng)
    settlements = [*urban, *towns]
    stations = [river.project(Point(b.xy[b.edges[k].a])) for k in b.bridges]
    crossing: list[tuple[float, int, int, np.ndarray]] = []
    for p, q in delaunay_links(np.array([s.anchor for s in settlements]), city_m, LINK_MAX_M):
        sp, sq = settlements[p], settlements[q]
        if sp.area.intersects(sq.area):
            continue
        a, c = exit_node(b, sp, sq.anchor, water), exit_node(b, sq, sp.anchor, water)
        line = curve(b.xy[a], b.xy[c], LINK_BEND * (1 if rng.random() < 0.5 else -1))
        if road(b, a, c, line, "road", water, allow_bridge=False):
            stats["links"] += 1
        else:
            crossing.append((LineString(line).length, a, c, line))
    for _, a, c, line in sorted(crossing, key=lambda t: t[0]):
        at = river.project(LineString(line).intersection(water).centroid)
        if stats["rural_bridges"] < RURAL_BRIDGES_MAX and all(
            abs(at - s) >= RURAL_BRIDGE_SPACING_M for s in stations
        ):
            road(b, a, c, line, "road", water, allow_bridge=True, bridge_name="沱江桥（示例）")
            stations.append(at)
            stats["rural_bridges"] += 1
            stats["links"] += 1
        else:
            stats["links_dropped_at_river"] += 1
    stats["repairs"] = _repair(b, water)
    stats["lanes"] = _lanes(b, cities, proj, river, water)
    nodes, edges = b.to_rows()
    stats["bridges"] = sum(e.kind == "bridge" for e in edges)
    stats["nodes"], stats["edges"] = len(nodes), len(edges)
    return ZiyangBuild(nodes, edges, river_ll, proj.to_lonlat(water), dict(stats))
