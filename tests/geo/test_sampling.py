"""Sample points over an uncertainty disc and over a region."""

from __future__ import annotations

import math

from shapely.geometry import MultiPolygon, Point, Polygon

from geo.sampling import disc_points, offset, polygon_points


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dx = (b[0] - a[0]) * 111_320 * math.cos(math.radians(a[1]))
    return math.hypot(dx, (b[1] - a[1]) * 110_574)


def test_disc_points_cover_the_centre_and_two_rings() -> None:
    centre = (104.64, 30.12)
    points = disc_points(*centre, 3000)
    assert len(points) == 19 and points[0] == centre
    radii = sorted(round(metres(centre, p)) for p in points)
    assert radii[0] == 0 and radii[1:7] == [1500] * 6 and radii[7:] == [3000] * 12


def test_polygon_points_lie_inside_and_respect_the_cap() -> None:
    square = Polygon(
        [offset(104.6, 30.1, x, y) for x, y in ((0, 0), (4000, 0), (4000, 3000), (0, 3000))]
    )
    l_shape = MultiPolygon(
        [
            square,
            Polygon(
                [offset(104.7, 30.1, x, y) for x, y in ((0, 0), (500, 0), (500, 500), (0, 500))]
            ),
        ]
    )
    for area in (square, l_shape):
        for cap in (1, 5, 30):
            points = polygon_points(area, cap)
            assert 1 <= len(points) <= cap
            assert all(area.covers(Point(p)) for p in points)
    assert len(polygon_points(square, 30)) >= 15  # the grid fills most of the cap
