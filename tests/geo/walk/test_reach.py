"""Reach areas: 10 inside 15 inside 30 minutes, and every node reached lies inside."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import points

from geo.walk import WalkNetwork, WalkProfile, reach_polygons, seconds_from, snap

TOLERANCE_DEG = 1e-7  # about 1 cm: polygon unions round at the last digit


@settings(max_examples=25, deadline=None)
@given(
    fx=st.floats(0.1, 0.9),
    fy=st.floats(0.1, 0.9),
    profile_code=st.sampled_from(["adult", "older", "pram", "wheelchair"]),
)
def test_contours_nest_and_hold_every_node_reached(
    wuhou: WalkNetwork, profiles: dict[str, WalkProfile], fx: float, fy: float, profile_code: str
) -> None:
    profile = profiles[profile_code]
    lo, hi = wuhou.node_lonlat.min(axis=0), wuhou.node_lonlat.max(axis=0)
    home = (lo[0] + fx * (hi[0] - lo[0]), lo[1] + fy * (hi[1] - lo[1]))
    origin = snap(wuhou, *home, max_distance_m=400.0, avoid_steps=profile.avoid_steps)
    if origin is None:
        return
    reach = seconds_from(wuhou, profile, origin, 30 * 60.0)
    ten, fifteen, thirty = reach_polygons(reach, [10, 15, 30])
    assert ten.difference(fifteen.buffer(TOLERANCE_DEG)).is_empty
    assert fifteen.difference(thirty.buffer(TOLERANCE_DEG)).is_empty
    assert 0 < ten.area < fifteen.area <= thirty.area
    for minutes, area in ((10, ten), (15, fifteen), (30, thirty)):
        inside = reach.nodes[reach.seconds <= minutes * 60.0]
        assert area.buffer(TOLERANCE_DEG).contains(points(wuhou.node_lonlat[inside])).all()


def test_contours_come_back_in_the_order_asked(
    wuhou: WalkNetwork, profiles: dict[str, WalkProfile]
) -> None:
    origin = snap(wuhou, 104.06, 30.635, max_distance_m=400.0)
    assert origin is not None
    reach = seconds_from(wuhou, profiles["older"], origin, 30 * 60.0)
    thirty, ten = reach_polygons(reach, [30, 10])
    assert np.isclose(ten.area, reach_polygons(reach, [10])[0].area)
    assert thirty.area > ten.area
