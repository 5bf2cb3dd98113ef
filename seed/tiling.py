"""Synthetic township seats and boundaries: Voronoi cells of placed seats, clipped to a county.

No township polygon or seat exists in the shared data, so the sample city invents them.
Work is done in a local equirectangular projection (metres, accurate to well under 1 %
over a county), and the cells are mapped back and clipped to the real WGS-84 outline,
so the townships tile the county exactly.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.prepared import prep

LonLat = tuple[float, float]

METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_EQUATOR = 111_320.0

STREET_RING_M = 1_800.0
"""Streets (街道) other than the first sit on a ring this far from the county seat."""
FIRST_STREET_OFFSET_M = 400.0
INNER_MARGIN_M = 1_500.0
"""Town seats are chosen at least this far inside the county outline when possible."""
LLOYD_ROUNDS = 6


@dataclass(frozen=True, slots=True)
class LocalProjection:
    """Equirectangular metres around an origin: x east, y north."""

    lon0: float
    lat0: float

    @property
    def kx(self) -> float:
        return METRES_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(self.lat0))

    def to_metres(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(
            geom,
            lambda c: np.column_stack(
                ((c[:, 0] - self.lon0) * self.kx, (c[:, 1] - self.lat0) * METRES_PER_DEGREE_LAT)
            ),
        )

    def to_lonlat(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(
            geom,
            lambda c: np.column_stack(
                (c[:, 0] / self.kx + self.lon0, c[:, 1] / METRES_PER_DEGREE_LAT + self.lat0)
            ),
        )

    def point_lonlat(self, x: float, y: float) -> LonLat:
        return (x / self.kx + self.lon0, y / METRES_PER_DEGREE_LAT + self.lat0)

    def point_metres(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.lon0) * self.kx, (lat - self.lat0) * METRES_PER_DEGREE_LAT)


def projection_for(area: BaseGeometry) -> LocalProjection:
    centre = area.centroid
    return LocalProjection(round(centre.x, 4), round(centre.y, 4))


def as_multipolygon(geom: BaseGeometry) -> MultiPolygon:
    """The polygonal part of a geometry as a MultiPolygon (lines and points are dropped)."""
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and not g.is_empty]
    out: list[Polygon] = []
    for part in parts:
        out.extend(p for p in shapely.get_parts(part) if isinstance(p, Polygon))
    return MultiPolygon(out)


def _ring_streets(
    county_m: BaseGeometry, seat_xy: tuple[float, float], count: int, rng: random.Random
) -> list[tuple[float, float]]:
    """First street just off the seat, the others spread on a ring around it."""
    sx, sy = seat_xy
    angle = rng.uniform(0, 2 * math.pi)
    placed = [
        (sx + FIRST_STREET_OFFSET_M * math.cos(angle), sy + FIRST_STREET_OFFSET_M * math.sin(angle))
    ]
    if not county_m.contains(Point(placed[0])):
        placed = [seat_xy]
    start = rng.uniform(0, 2 * math.pi)
    for i in range(count - 1):
        theta = start + 2 * math.pi * i / max(count - 1, 1) + rng.uniform(-0.25, 0.25)
        radius = STREET_RING_M * rng.uniform(0.85, 1.15)
        while True:
            xy = (sx + radius * math.cos(theta), sy + radius * math.sin(theta))
            if county_m.contains(Point(xy)) or radius < 300:
                break
            radius *= 0.8
        placed.append(xy)
    return placed[:count]


def _candidates(area_m: BaseGeometry, wanted: int, rng: random.Random) -> list[tuple[float, float]]:
    """A jittered grid of about `wanted` points inside `area_m`."""
    minx, miny, maxx, maxy = area_m.bounds
    step = math.sqrt(area_m.area / max(wanted, 1))
    prepared = prep(area_m)
    points: list[tuple[float, float]] = []
    y = miny + step / 2
    while y < maxy:
        x = minx + step / 2
        while x < maxx:
            xy = (x + rng.uniform(-0.4, 0.4) * step, y + rng.uniform(-0.4, 0.4) * step)
            if prepared.contains(Point(xy)):
                points.append(xy)
            x += step
        y += step
    return points


def _farthest_points(
    fixed: Sequence[tuple[float, float]], candidates: Sequence[tuple[float, float]], count: int
) -> list[tuple[float, float]]:
    """Greedy farthest-point picks from `candidates`, away from `fixed` and one another."""
    cand = np.array(candidates, dtype=float)
    anchors = np.array(fixed, dtype=float)
    dist = np.min(
        np.hypot(cand[:, None, 0] - anchors[None, :, 0], cand[:, None, 1] - anchors[None, :, 1]),
        axis=1,
    )
    chosen: list[tuple[float, float]] = []
    for _ in range(count):
        i = int(np.argmax(dist))
        chosen.append((float(cand[i, 0]), float(cand[i, 1])))
        dist = np.minimum(dist, np.hypot(cand[:, 0] - cand[i, 0], cand[:, 1] - cand[i, 1]))
    return chosen


def _cells_m(area_m: BaseGeometry, seats: Sequence[tuple[float, float]]) -> list[BaseGeometry]:
    minx, miny, maxx, maxy = area_m.bounds
    envelope = shapely.box(minx - 5_000, miny - 5_000, maxx + 5_000, maxy + 5_000)
    cells = shapely.voronoi_polygons(MultiPoint(list(seats)), extend_to=envelope, ordered=True)
    return list(shapely.get_parts(cells))


def place_seats(
    county: MultiPolygon,
    seat: LonLat,
    n_streets: int,
    n_towns: int,
    rng: random.Random,
) -> list[LonLat]:
    """Seats for `n_streets` 街道 then `n_towns` 镇/乡, all inside `county`.

    Streets cluster around the real county seat; towns are spread over the rest of the
    county by farthest-point choice from a jittered grid, then relaxed by a few Lloyd
    rounds (each town seat moves to its cell's centroid). A county with only streets
    (武侯区) spreads them like towns, the first one pinned at the seat.
    """
    proj = projection_for(county)
    county_m = proj.to_metres(county)
    seat_xy = proj.point_metres(*seat)
    if n_towns:
        fixed = _ring_streets(county_m, seat_xy, n_streets, rng)
        spread = n_towns
    else:
        fixed = [seat_xy]
        spread = n_streets - 1
    inner = county_m.buffer(-INNER_MARGIN_M)
    pool_area = inner if inner.area > 0.5 * county_m.area else county_m
    pool = _candidates(pool_area, max(40, 25 * spread), rng)
    moving = _farthest_points(fixed, pool, spread)
    for _ in range(LLOYD_ROUNDS):
        cells = _cells_m(county_m, [*fixed, *moving])
        relaxed = []
        for xy, cell in zip(moving, cells[len(fixed) :], strict=True):
            clipped = cell.intersection(county_m)
            target = clipped.centroid
            if clipped.is_empty:
                relaxed.append(xy)
                continue
            if not county_m.contains(target):
                target = clipped.representative_point()
            relaxed.append((target.x, target.y))
        moving = relaxed
    return [proj.point_lonlat(x, y) for x, y in [*fixed, *moving]]


def voronoi_tiles(region: MultiPolygon, seats: Sequence[LonLat]) -> list[MultiPolygon]:
    """Voronoi cells of `seats` (computed in metres) clipped to `region`, in seat order."""
    proj = projection_for(region)
    region_m = proj.to_metres(region)
    cells = _cells_m(region_m, [proj.point_metres(*s) for s in seats])
    return [as_multipolygon(proj.to_lonlat(cell).intersection(region)) for cell in cells]


def community_patch(township: MultiPolygon, centre: LonLat, radius_m: float) -> MultiPolygon:
    """A small octagon of about `radius_m` around `centre`, clipped to its township."""
    proj = LocalProjection(centre[0], centre[1])
    octagon = Point(0, 0).buffer(radius_m, quad_segs=2)
    return as_multipolygon(proj.to_lonlat(octagon).intersection(township))


def offset(point: LonLat, east_m: float, north_m: float) -> LonLat:
    """`point` moved by metres east and north."""
    proj = LocalProjection(point[0], point[1])
    return proj.point_lonlat(east_m, north_m)


def distance_m(a: LonLat, b: LonLat) -> float:
    """Approximate ground distance in metres (local equirectangular)."""
    proj = LocalProjection(a[0], a[1])
    x, y = proj.point_metres(*b)
    return math.hypot(x, y)
