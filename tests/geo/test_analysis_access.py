"""Nearest-facility seconds from one multi-source Dijkstra equal the per-facility walks."""

from __future__ import annotations

import math
import random

import numpy as np

from geo.analysis.access import nearest_sources, point_seconds
from geo.walk import (
    Edge,
    Node,
    WalkNetwork,
    WalkProfile,
    seconds_from,
    seconds_to_targets,
    snap_many,
)

OLDER = WalkProfile("older", "老年人", 0.92, False, 30.0, "test")


def grid_network(size: int = 12, spacing_deg: float = 0.001) -> WalkNetwork:
    """A size × size lattice near 资阳 with every 7th edge a flight of steps."""
    nodes = [
        Node(r * size + c, 104.60 + c * spacing_deg, 30.10 + r * spacing_deg)
        for r in range(size)
        for c in range(size)
    ]
    edges = []
    for r in range(size):
        for c in range(size):
            here = r * size + c
            if c + 1 < size:
                edges.append(Edge(here, here + 1, 96.3, steps=len(edges) % 7 == 0))
            if r + 1 < size:
                edges.append(Edge(here, here + size, 111.2))
    return WalkNetwork(nodes, edges)


def test_nearest_facility_seconds_equal_the_minimum_over_single_walks() -> None:
    network = grid_network()
    rng = random.Random(8)
    facilities = [(104.60 + rng.random() * 0.011, 30.10 + rng.random() * 0.011) for _ in range(6)]
    homes = [(104.60 + rng.random() * 0.011, 30.10 + rng.random() * 0.011) for _ in range(80)]
    f_snaps = snap_many(network, facilities, max_distance_m=300)
    h_snaps = snap_many(network, homes, max_distance_m=300)
    placed = [s for s in f_snaps if s is not None]
    cutoff_s = 900.0

    seconds, source = point_seconds(
        network, OLDER, nearest_sources(network, OLDER, placed, cutoff_s), h_snaps
    )

    single = np.array(
        [seconds_to_targets(seconds_from(network, OLDER, f, cutoff_s), h_snaps) for f in placed]
    )
    expected = single.min(axis=0)
    assert (np.isinf(seconds) == np.isinf(expected)).all()
    finite = np.isfinite(expected)
    assert 0 < finite.sum() < len(homes)
    assert np.abs(seconds[finite] - expected[finite]).max() < 1e-6
    for i in np.flatnonzero(np.isfinite(seconds)):
        assert abs(single[source[i], i] - seconds[i]) < 1e-6


def test_no_facility_leaves_everyone_beyond_reach() -> None:
    network = grid_network(4)
    homes = snap_many(network, [(104.601, 30.101)], max_distance_m=300)
    seconds, source = point_seconds(
        network, OLDER, nearest_sources(network, OLDER, [], 900.0), homes
    )
    assert math.isinf(seconds[0]) and source[0] == -1
