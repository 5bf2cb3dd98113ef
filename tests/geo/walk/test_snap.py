"""Snapping: the distance is reported, a point too far from any road is flagged (None)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.walk import snap, snap_many
from tests.geo.walk.built import lonlat, network

# A 400 m east-west street at y = 0, and a 100 m flight of stairs at y = 50 above it.
STREET_AND_STAIRS = network(
    [(0, 0), (400, 0), (100, 50), (200, 50)],
    [(0, 1, 400.0, False), (2, 3, 100.0, True)],
)


@settings(max_examples=100, deadline=None)
@given(x=st.floats(0.0, 400.0), below_m=st.floats(0.0, 299.0))
def test_a_point_below_the_street_reports_its_distance_and_offset(x: float, below_m: float) -> None:
    found = snap(STREET_AND_STAIRS, *lonlat(x, -below_m), max_distance_m=300.0)
    assert found is not None and found.edge_index == 0
    assert found.snap_distance_m == pytest.approx(below_m, abs=0.01)
    assert found.offset_m == pytest.approx(x, abs=0.01)


def test_beyond_the_limit_a_point_is_too_far_not_guessed() -> None:
    assert snap(STREET_AND_STAIRS, *lonlat(200, -301), max_distance_m=300.0) is None
    near = snap(STREET_AND_STAIRS, *lonlat(200, -299), max_distance_m=300.0)
    assert near is not None and near.snap_distance_m == pytest.approx(299, abs=0.01)


def test_bad_coordinates_do_not_snap() -> None:
    found = snap_many(STREET_AND_STAIRS, [(math.nan, 30.0), lonlat(10, 10), (math.inf, 0.0)])
    assert found[0] is None and found[2] is None and found[1] is not None


def test_a_wheelchair_is_placed_on_the_nearest_step_free_edge() -> None:
    by_stairs = lonlat(150, 45)
    walker = snap(STREET_AND_STAIRS, *by_stairs)
    wheelchair = snap(STREET_AND_STAIRS, *by_stairs, avoid_steps=True)
    assert walker is not None and walker.edge_index == 1
    assert walker.snap_distance_m == pytest.approx(5, abs=0.01)
    assert wheelchair is not None and wheelchair.edge_index == 0
    assert wheelchair.snap_distance_m == pytest.approx(45, abs=0.01)


def test_snapping_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_distance_m"):
        snap(STREET_AND_STAIRS, *lonlat(0, 0), max_distance_m=0)
