"""Every facility's walking reach for a whole city: the app's code path against networkx,
facility by facility, on the same edges and the same snapped origins.

The app path is `geo.walk.reach_many` (what `/v1/reach` runs): all origins of a city in
one call of the compiled bounded Dijkstra (`geo.walk.dijkstra`), warmed beforehand as the
app warms it at start-up. The baseline joins each facility to its edge's
two ends as a virtual node in a networkx graph of the same edge seconds and runs
`single_source_dijkstra_path_length` with the same cutoff. Building either graph is left
out of the timing (both are built once per city and profile); the results are compared
node by node, so the two compute the same reaches. Times are this process's CPU seconds
(`time.process_time`; both sides are single-threaded), so other work on a shared machine
does not tilt the ratio.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from geo.walk import Reach, Snap, WalkNetwork, WalkProfile, reach_many

ORIGIN = "origin"


@dataclass(frozen=True, slots=True)
class ReachTiming:
    """One city's figures: seconds for ours (median of `repeat`) and for the baseline."""

    city_code: str
    facilities: int
    nodes: int
    edges: int
    ours_s: float
    ours_runs: tuple[float, ...]
    networkx_s: float
    mismatches: int
    reached_nodes: int


def networkx_graph(network: WalkNetwork, profile: WalkProfile) -> nx.Graph:
    """The network's usable edges as a networkx graph of seconds (parallel edges: fastest)."""
    seconds = network.edge_seconds(profile)
    graph = nx.Graph()
    graph.add_nodes_from(range(network.node_count))
    for u, v, w in zip(
        network.edge_u.tolist(), network.edge_v.tolist(), seconds.tolist(), strict=True
    ):
        if not np.isfinite(w) or u == v:
            continue
        if not graph.has_edge(u, v) or graph[u][v]["weight"] > w:
            graph.add_edge(u, v, weight=w)
    return graph


def networkx_reach(
    graph: nx.Graph, network: WalkNetwork, profile: WalkProfile, origin: Snap, cutoff_s: float
) -> dict[int, float]:
    """Seconds to every node within `cutoff_s` of one snapped origin (networkx Dijkstra)."""
    k = origin.edge_index
    w = float(network.edge_seconds(profile)[k])
    length = float(network.edge_length_m[k])
    fraction = min(1.0, max(0.0, origin.offset_m / length)) if length > 0 else 0.0
    leg = origin.snap_distance_m / profile.speed_m_s
    graph.add_edge(ORIGIN, int(network.edge_u[k]), weight=leg + fraction * w)
    if int(network.edge_v[k]) != int(network.edge_u[k]):
        graph.add_edge(ORIGIN, int(network.edge_v[k]), weight=leg + (1.0 - fraction) * w)
    try:
        found = nx.single_source_dijkstra_path_length(graph, ORIGIN, cutoff=cutoff_s)
    finally:
        graph.remove_node(ORIGIN)
    found.pop(ORIGIN, None)
    return {int(node): float(t) for node, t in found.items()}


def _mismatches(ours: Sequence[Reach], theirs: Sequence[dict[int, float]]) -> int:
    bad = 0
    for reach, expected in zip(ours, theirs, strict=True):
        got = dict(zip(reach.nodes.tolist(), reach.seconds.tolist(), strict=True))
        if got.keys() != expected.keys() or any(abs(got[n] - expected[n]) > 1e-6 for n in expected):
            bad += 1
    return bad


def time_city(
    city_code: str,
    network: WalkNetwork,
    profile: WalkProfile,
    origins: Sequence[Snap],
    cutoff_s: float,
    repeat: int,
) -> ReachTiming:
    """Time every origin's reach both ways and compare them."""
    network.graph(profile)  # built once per profile in the app too
    runs = []
    for _ in range(repeat):
        started = time.process_time()
        ours = reach_many(network, profile, origins, cutoff_s)
        runs.append(time.process_time() - started)
    graph = networkx_graph(network, profile)
    started = time.process_time()
    theirs = [networkx_reach(graph, network, profile, o, cutoff_s) for o in origins]
    baseline = time.process_time() - started
    return ReachTiming(
        city_code=city_code,
        facilities=len(origins),
        nodes=network.node_count,
        edges=network.edge_count,
        ours_s=statistics.median(runs),
        ours_runs=tuple(runs),
        networkx_s=baseline,
        mismatches=_mismatches(ours, theirs),
        reached_nodes=sum(len(r.nodes) for r in ours),
    )
