"""Walking seconds equal an independent networkx shortest path, to the reported second."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from geo.walk import (
    Snap,
    WalkNetwork,
    WalkProfile,
    reach_many,
    seconds_from,
    seconds_to_targets,
    snap_many,
)
from tests.geo.walk.oracle import oracle_graph, oracle_seconds

CUTOFF_S = 30 * 60.0
YANJIANG_SEAT = (104.6399, 30.1245)


def same_to_the_second(ours: float, theirs: float) -> None:
    """Equal as the API reports them: whole seconds and minutes to 0.1."""
    assert abs(ours - theirs) < 1e-6
    assert round(ours) == round(theirs)
    assert round(ours / 60.0, 1) == round(theirs / 60.0, 1)


def random_points(
    network: WalkNetwork,
    count: int,
    seed: int,
    centre: tuple[float, float] | None = None,
    half_deg: float | None = None,
) -> list[Snap]:
    """Snapped random points in a box (default: the bounding box of the network's nodes)."""
    rng = random.Random(seed)
    lo, hi = network.node_lonlat.min(axis=0), network.node_lonlat.max(axis=0)
    mid = np.array(centre) if centre else (lo + hi) / 2
    half = np.array([half_deg, half_deg]) if half_deg else (hi - lo) / 2
    found: list[Snap] = []
    while len(found) < count:
        lon = rng.uniform(mid[0] - half[0], mid[0] + half[0])
        lat = rng.uniform(mid[1] - half[1], mid[1] + half[1])
        snapped = snap_many(network, [(lon, lat)], max_distance_m=300.0)[0]
        if snapped is not None:
            found.append(snapped)
    return found


def assert_reach_matches(
    network: WalkNetwork,
    profile: WalkProfile,
    points: list[Snap],
    origin: int,
    nodes: NDArray[np.int64],
    seconds: NDArray[np.float64],
) -> None:
    oracle = oracle_seconds(network, profile, points, origin, CUTOFF_S)
    expected = {key[1]: t for key, t in oracle.items() if key[0] == "n"}
    assert set(nodes.tolist()) == set(expected)
    for node, t in zip(nodes.tolist(), seconds.tolist(), strict=True):
        same_to_the_second(t, expected[node])


@settings(max_examples=60, deadline=None)
@given(
    fx=st.floats(0.0, 1.0),
    fy=st.floats(0.0, 1.0),
    profile_code=st.sampled_from(["adult", "older", "pram", "wheelchair"]),
)
def test_real_osm_network_matches_networkx_from_any_point(
    wuhou: WalkNetwork, profiles: dict[str, WalkProfile], fx: float, fy: float, profile_code: str
) -> None:
    profile = profiles[profile_code]
    lo, hi = wuhou.node_lonlat.min(axis=0), wuhou.node_lonlat.max(axis=0)
    point = (lo[0] + fx * (hi[0] - lo[0]), lo[1] + fy * (hi[1] - lo[1]))
    origin = snap_many(wuhou, [point], max_distance_m=400.0, avoid_steps=profile.avoid_steps)[0]
    if origin is None:
        return
    targets = random_points(wuhou, 12, seed=int(fx * 1e6) ^ int(fy * 1e6))
    reach = seconds_from(wuhou, profile, origin, CUTOFF_S)
    assert_reach_matches(wuhou, profile, [origin, *targets], 0, reach.nodes, reach.seconds)
    oracle = oracle_seconds(wuhou, profile, [origin, *targets], 0, CUTOFF_S)
    ours = seconds_to_targets(reach, targets)
    for j, t in enumerate(ours.tolist(), start=1):
        if ("p", j) in oracle:
            same_to_the_second(t, oracle[("p", j)])
        else:
            assert t == np.inf


@pytest.mark.parametrize("profile_code", ["older", "wheelchair"])
@pytest.mark.parametrize(("half_deg", "seed"), [(0.005, 1), (0.05, 2)])
def test_batched_reaches_on_the_ziyang_network_match_networkx(
    ziyang: WalkNetwork,
    profiles: dict[str, WalkProfile],
    profile_code: str,
    half_deg: float,
    seed: int,
) -> None:
    """Crowded origins (±500 m of the 雁江 seat, overlapping reaches) and scattered ones
    (±5 km), all in one call."""
    profile = profiles[profile_code]
    points = random_points(ziyang, 30, seed=seed, centre=YANJIANG_SEAT, half_deg=half_deg)
    points = [
        s
        for s in snap_many(
            ziyang,
            [(p.point_lon, p.point_lat) for p in points],
            max_distance_m=300.0,
            avoid_steps=profile.avoid_steps,
        )
        if s is not None
    ]
    reaches = reach_many(ziyang, profile, points, CUTOFF_S)
    graph = oracle_graph(ziyang, profile, points)
    for i, reach in enumerate(reaches):
        oracle = nx.single_source_dijkstra_path_length(graph, ("p", i), cutoff=CUTOFF_S)
        expected = {key[1]: t for key, t in oracle.items() if key[0] == "n"}
        assert set(reach.nodes.tolist()) == set(expected)
        for node, t in zip(reach.nodes.tolist(), reach.seconds.tolist(), strict=True):
            same_to_the_second(t, expected[node])
