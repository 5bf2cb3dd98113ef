"""The compiled Dijkstra: origins searched together equal each alone (networkx), bit for bit;
the cutoff is inclusive; without a writable cache it still compiles; the facility snap
cache answers as `snap_many` does."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from geo.walk import SnapCache, WalkProfile, dijkstra, reach_many, snap_many
from geo.walk.dijkstra import reach_nodes
from tests.geo.walk.built import grid_network, lonlat

GRID = grid_network(7, 5, 80.0, [1.0, 1.3, 1.05, 2.0], [False, False, True])
ORIGIN = "origin"
CSR = GRID.csr(WalkProfile("slow", "慢", 0.9, False, 30.0, "test"))


def _alone(start_nodes: list[int], start_s: list[float], cutoff: float) -> dict[int, float]:
    """networkx from a virtual node with edges out to the start nodes (one origin alone)."""
    indptr, indices, data = CSR
    graph = nx.DiGraph()
    for u in range(len(indptr) - 1):
        for k in range(indptr[u], indptr[u + 1]):
            graph.add_edge(u, int(indices[k]), weight=float(data[k]))
    for node, start in zip(start_nodes, start_s, strict=True):
        if start < graph.get_edge_data(ORIGIN, node, {"weight": np.inf})["weight"]:
            graph.add_edge(ORIGIN, node, weight=start)
    found = nx.single_source_dijkstra_path_length(graph, ORIGIN, cutoff=cutoff)
    return {int(k): float(t) for k, t in found.items() if k != ORIGIN}


@settings(max_examples=40, deadline=None)
@given(
    origins=st.lists(
        st.tuples(st.integers(0, 34), st.integers(0, 34), st.floats(0, 200), st.floats(0, 200)),
        min_size=1,
        max_size=8,
    ),
    cutoff=st.floats(0, 900),
)
@example(origins=[(0, 0, 0.0, 0.0), (3, 4, 0.0, 5.0), (5, 5, 900.0, 1.0)], cutoff=0.0)
def test_many_origins_in_one_call_equal_each_alone(
    origins: list[tuple[int, int, float, float]], cutoff: float
) -> None:
    ends = np.array([(u, v) for u, v, _, _ in origins])
    starts = np.array([(a, b) for _, _, a, b in origins])
    bounds, nodes, seconds = reach_nodes(CSR, ends, starts, cutoff)
    for i, (u, v, a, b) in enumerate(origins):
        got = dict(
            zip(
                nodes[bounds[i] : bounds[i + 1]].tolist(),
                seconds[bounds[i] : bounds[i + 1]].tolist(),
                strict=True,
            )
        )
        assert got == _alone([u, v], [a, b], cutoff)  # bit for bit


def test_a_node_at_exactly_the_cutoff_is_reached_and_an_infinite_end_is_not_used() -> None:
    first = int(CSR[1][0])
    w = float(CSR[2][0])
    bounds, nodes, seconds = reach_nodes(CSR, np.array([[0, 0]]), np.array([[0.0, np.inf]]), w)
    assert first in nodes.tolist() and seconds[nodes.tolist().index(first)] == w
    bounds, nodes, _ = reach_nodes(CSR, np.array([[0, 1]]), np.array([[np.inf, np.inf]]), 1e9)
    assert bounds.tolist() == [0, 0] and len(nodes) == 0


def test_the_snap_cache_answers_as_snap_many_and_starts_afresh_when_full() -> None:
    network = GRID
    points = [lonlat(x, y) for x, y in [(10, 5), (250, 170), (10, 5), (9000, 9000), (400, 300)]]
    cache = SnapCache(network, max_distance_m=100.0, avoid_steps=True, max_points=3)
    expected = snap_many(network, points, max_distance_m=100.0, avoid_steps=True)
    assert cache.snap_many(points) == expected
    assert cache.snap_many(points[:2]) == expected[:2]
    assert cache.snap_many([lonlat(300, 0)]) == snap_many(
        network, [lonlat(300, 0)], max_distance_m=100.0, avoid_steps=True
    )
    assert cache.snap_many(points) == expected


def test_without_a_writable_cache_directory_the_kernel_compiles_in_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = dijkstra.njit

    def no_cache(**options: object) -> object:
        if options.get("cache"):
            raise RuntimeError("cannot cache function: no locator available")
        return real(**options)

    monkeypatch.setattr(dijkstra, "njit", no_cache)

    def double(x: float) -> float:
        return 2.0 * x

    assert dijkstra._jit(double)(21.0) == 42.0


def test_requests_never_compile_after_the_warm_up() -> None:
    """`warm_up` compiles the one signature every call uses (else a request would pay)."""
    dijkstra.warm_up()
    origins = [s for s in snap_many(GRID, [lonlat(30, 20), lonlat(300, 250)]) if s is not None]
    reach_many(GRID, WalkProfile("older", "老", 1.0, False, 20.0, "test"), origins, 600.0)
    assert len(dijkstra._many.signatures) == 1
