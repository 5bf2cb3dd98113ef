"""The 成都 武侯区 sample: facilities placed beside the real OSM street network.

Each site is put at a random point of a random walkable edge (pedestrians_allowed,
chosen with probability proportional to length), then moved 5–25 m sideways, and kept
only if it lies inside 武侯区's real outline (the road file reaches into 锦江 and 青羊).
Its township is the synthetic 武侯区 township cell that contains it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from shapely.geometry import LineString, Point
from shapely.prepared import prep

from seed.facilities import Spec
from seed.regions import SEED
from seed.rows import RegionRow
from seed.sources import Road
from seed.tiling import LocalProjection

WUHOU = "510107"
MAX_OFFSET_M = 25.0
MIN_OFFSET_M = 5.0
WUHOU_MIX: tuple[tuple[str, int], ...] = (
    ("community_eldercare_complex", 4),
    ("day_care_center", 7),
    ("meal_point", 6),
    ("community_care_home", 4),
    ("eldercare_station", 4),
    ("all_age_community_complex", 2),
    ("childcare_center", 6),
    ("nursery_class", 5),
    ("community_childcare_point", 4),
    ("mother_baby_room", 2),
    ("senior_activity_center", 2),
    ("integrated_medical_eldercare", 1),
    ("home_care_provider", 2),
    ("eldercare_institution", 2),
    ("intergenerational_space", 1),
    ("family_childcare_point", 1),
    ("early_education_center", 2),
)
# Chengdu's meal network runs at day care centres (成都方案 任务14): two of them also serve meals.
DAY_CARE_WITH_MEALS = 2


def walkable(roads: Sequence[Road]) -> list[Road]:
    return [r for r in roads if r.pedestrians_allowed]


def _point_beside(line_m: LineString, rng: random.Random) -> tuple[float, float]:
    """A point at a random spot of `line_m`, 5–25 m to one side of it."""
    along = rng.uniform(0, line_m.length)
    here = line_m.interpolate(along)
    ahead = line_m.interpolate(min(along + 1.0, line_m.length))
    behind = line_m.interpolate(max(along - 1.0, 0.0))
    dx, dy = ahead.x - behind.x, ahead.y - behind.y
    norm = math.hypot(dx, dy) or 1.0
    side = rng.uniform(MIN_OFFSET_M, MAX_OFFSET_M) * rng.choice((-1.0, 1.0))
    return (here.x - dy / norm * side, here.y + dx / norm * side)


def wuhou_specs(regions: Sequence[RegionRow], roads: Sequence[Road]) -> list[Spec]:
    """Specs for 武侯区, each with a fixed location beside a walkable street."""
    county = next(r for r in regions if r.code == WUHOU)
    cells = [r for r in regions if r.level == "township" and r.parent_code == WUHOU]
    assert county.boundary is not None
    inside = prep(county.boundary)
    edges = walkable(roads)
    proj = LocalProjection(104.058, 30.636)
    lines_m = [proj.to_metres(r.line) for r in edges]
    weights = [line.length for line in lines_m]
    rng = random.Random(f"{SEED}|wuhou-plan")
    specs: list[Spec] = []
    for kind, count in WUHOU_MIX:
        for i in range(count):
            for _ in range(1_000):
                (index,) = rng.choices(range(len(edges)), weights=weights)
                lon, lat = proj.point_lonlat(*_point_beside(lines_m[index], rng))
                point = Point(round(lon, 6), round(lat, 6))
                if inside.contains(point):
                    break
            else:
                raise ValueError("no walkable street of the road file lies inside 武侯区")
            township = next(c for c in cells if c.boundary is not None and c.boundary.covers(point))
            extra: tuple[str, ...] = ()
            if kind == "all_age_community_complex":
                extra = ("community_childcare_point",)
            elif kind == "day_care_center" and i < DAY_CARE_WITH_MEALS:
                extra = ("meal_point",)
            specs.append(
                Spec(
                    kind,
                    township.code,
                    extra_kinds=extra,
                    at=(point.x, point.y),
                    road=edges[index].name or None,
                )
            )
    return specs
