"""Sample points over an area: an uncertainty disc around a fuzzy location, or a region.

Coverage of an area is judged place by place at these points, so an answer can say
"covered everywhere", "nowhere" or "depends where in the area" instead of pretending
one point stands for the whole area. Offsets use a local equirectangular approximation
(error far below a metre over a few kilometres).
"""

from __future__ import annotations

import math
from typing import Any

from shapely.geometry import Point
from shapely.prepared import prep

M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON_EQUATOR = 111_320.0

# (fraction of the radius, points on that ring): the centre, then two rings.
DISC_RINGS: tuple[tuple[float, int], ...] = ((0.0, 1), (0.5, 6), (1.0, 12))


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    """The point `east_m`, `north_m` metres from (lon, lat)."""
    dlon = east_m / (M_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat)))
    return lon + dlon, lat + north_m / M_PER_DEG_LAT


def disc_points(lon: float, lat: float, radius_m: float) -> list[tuple[float, float]]:
    """The centre and two rings (half the radius, the radius): 19 points over the disc."""
    points = []
    for fraction, count in DISC_RINGS:
        r = radius_m * fraction
        for k in range(count):
            angle = 2 * math.pi * k / count
            points.append(offset(lon, lat, r * math.sin(angle), r * math.cos(angle)))
    return points


def polygon_points(polygon: Any, max_points: int) -> list[tuple[float, float]]:
    """At most `max_points` points on a regular grid inside a lon/lat (Multi)Polygon.

    The grid spacing is chosen from the area so that about `max_points` fall inside;
    a point inside the polygon (`representative_point`) is always first.
    """
    if max_points < 1:
        raise ValueError("max_points must be at least 1")
    inside = polygon.representative_point()
    points = [(float(inside.x), float(inside.y))]
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    cos_lat = math.cos(math.radians((min_lat + max_lat) / 2))
    # area in "east-corrected" square degrees, so the grid is square on the ground
    area = polygon.area * cos_lat
    if area <= 0 or max_points == 1:
        return points
    step_lat = math.sqrt(area / max_points)
    step_lon = step_lat / cos_lat
    prepared = prep(polygon)
    grid = []
    lat = min_lat + step_lat / 2
    while lat < max_lat:
        lon = min_lon + step_lon / 2
        while lon < max_lon:
            if prepared.contains(Point(lon, lat)):
                grid.append((lon, lat))
            lon += step_lon
        lat += step_lat
    if len(grid) >= max_points:
        grid = grid[:: math.ceil(len(grid) / (max_points - 1))][: max_points - 1]
    return points + grid
