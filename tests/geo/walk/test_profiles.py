"""Profiles: a slower profile never reaches more or sooner; the wheelchair never takes steps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.walk import (
    WalkNetwork,
    WalkProfile,
    reach_polygons,
    seconds_from,
    seconds_to_targets,
    snap,
    snap_many,
)
from tests.geo.walk.built import grid_network, lonlat, network
from tests.geo.walk.oracle import oracle_seconds

SPACING_M = 80.0
CUTOFF_S = 600.0


def profile(speed: float, penalty: float, avoid: bool, code: str = "p") -> WalkProfile:
    return WalkProfile(code, code, speed, avoid, penalty, "test")


grids = st.builds(
    lambda w, h, stretch, steps: grid_network(w, h, SPACING_M, stretch, steps),
    st.integers(2, 7),
    st.integers(2, 7),
    st.lists(st.floats(1.0, 3.0), min_size=1, max_size=20),
    st.lists(st.booleans(), min_size=1, max_size=20),
)


@st.composite
def faster_and_slower(draw: st.DrawFn) -> tuple[WalkProfile, WalkProfile]:
    """Two profiles where the second is no faster anywhere: slower, more penalty, fewer edges."""
    speed = draw(st.floats(0.5, 2.0))
    penalty = draw(st.floats(0.0, 60.0))
    avoid = draw(st.booleans())
    fast = profile(speed, penalty, avoid, "fast")
    slow = profile(
        speed * draw(st.floats(0.3, 1.0)),
        penalty + draw(st.floats(0.0, 60.0)),
        avoid or draw(st.booleans()),
        "slow",
    )
    return fast, slow


@settings(max_examples=150, deadline=None)
@given(
    net=grids,
    pair=faster_and_slower(),
    fx=st.floats(-0.2, 1.2),
    fy=st.floats(-0.2, 1.2),
    minutes=st.floats(0.5, 10.0),
)
def test_a_slower_profile_never_reaches_more_or_sooner(
    net: WalkNetwork, pair: tuple[WalkProfile, WalkProfile], fx: float, fy: float, minutes: float
) -> None:
    fast, slow = pair
    extent = net.node_xy.max(axis=0)
    home = lonlat(fx * extent[0], fy * extent[1])
    # One snap for both (the slow one's: step-free if it avoids steps), so only speed differs.
    origin = snap(net, *home, max_distance_m=1000.0, avoid_steps=slow.avoid_steps)
    if origin is None:
        return
    quick = seconds_from(net, fast, origin, minutes * 60.0).dense()
    slow_t = seconds_from(net, slow, origin, minutes * 60.0).dense()
    assert set(np.flatnonzero(np.isfinite(slow_t))) <= set(np.flatnonzero(np.isfinite(quick)))
    assert (slow_t >= quick - 1e-9).all()
    targets = snap_many(net, net.node_lonlat[::3], max_distance_m=1000.0)
    fast_reach = seconds_from(net, fast, origin, minutes * 60.0)
    slow_reach = seconds_from(net, slow, origin, minutes * 60.0)
    assert (
        seconds_to_targets(slow_reach, targets) >= seconds_to_targets(fast_reach, targets)
    ).all()
    small, big = reach_polygons(slow_reach, [minutes])[0], reach_polygons(fast_reach, [minutes])[0]
    assert small.difference(big.buffer(1e-7)).area < 1e-12


@settings(max_examples=150, deadline=None)
@given(net=grids, fx=st.floats(0.0, 1.0), fy=st.floats(0.0, 1.0), speed=st.floats(0.5, 2.0))
def test_the_wheelchair_profile_never_uses_steps(
    net: WalkNetwork, fx: float, fy: float, speed: float
) -> None:
    """Its times equal a networkx walk over the step-free edges only, and its origin is never
    placed on a stepped edge."""
    wheelchair = profile(speed, 0.0, True, "wheelchair")
    extent = net.node_xy.max(axis=0)
    origin = snap(
        net, *lonlat(fx * extent[0], fy * extent[1]), max_distance_m=1e4, avoid_steps=True
    )
    if origin is None:
        assert net.edge_steps.all()
        return
    assert not net.edge_steps[origin.edge_index]
    reach = seconds_from(net, wheelchair, origin, CUTOFF_S)
    # The oracle leaves stepped edges out for a profile that avoids them.
    expected = {
        key[1]: t
        for key, t in oracle_seconds(net, wheelchair, [origin], 0, CUTOFF_S).items()
        if key[0] == "n"
    }
    ours = dict(zip(reach.nodes.tolist(), reach.seconds.tolist(), strict=True))
    assert ours == pytest.approx(expected, abs=1e-6)


def test_stairs_are_a_shortcut_for_walkers_and_a_wall_for_wheelchairs() -> None:
    """0 —stairs 50 m— 1, and a 400 m ramp round: the wheelchair takes the ramp."""
    net = network(
        [(0, 0), (0, 50), (200, 0), (200, 50)],
        [(0, 1, 50.0, True), (0, 2, 200.0, False), (2, 3, 50.0, False), (3, 1, 200.0, False)],
    )
    walker = profile(1.0, 30.0, False, "older")
    wheelchair = profile(1.0, 0.0, True, "wheelchair")
    origin = snap(net, *lonlat(0, -5), avoid_steps=True)
    target = snap(net, *lonlat(-5, 50), avoid_steps=True)
    assert origin is not None and target is not None
    assert not net.edge_steps[target.edge_index]
    walk = seconds_to_targets(seconds_from(net, walker, origin, 3600), [target])[0]
    roll = seconds_to_targets(seconds_from(net, wheelchair, origin, 3600), [target])[0]
    assert round(walk) == 5 + 50 + 30 + 5  # legs of 5 m, stairs of 50 m + 30 s
    assert round(roll) == 5 + 200 + 50 + 200 + 5


def test_real_profiles_are_ordered_on_the_ziyang_network(
    ziyang: WalkNetwork, profiles: dict[str, WalkProfile]
) -> None:
    """adult reaches at least what older, pram and wheelchair reach, never later (雁江 core)."""
    origin = snap(ziyang, 104.6399, 30.1245, max_distance_m=300.0, avoid_steps=True)
    assert origin is not None
    adult = seconds_from(ziyang, profiles["adult"], origin, 1800).dense()
    for code in ("older", "pram", "wheelchair"):
        slow = seconds_from(ziyang, profiles[code], origin, 1800).dense()
        assert (slow >= adult - 1e-9).all(), code
        assert np.isfinite(slow).sum() < np.isfinite(adult).sum(), code
