"""An independent walking-time oracle: networkx Dijkstra on the edges, points spliced in.

Every snapped point splits its edge at its fraction (several points on one edge split it
in order along the edge) and hangs from the split by its off-network leg; stepped edges
get the profile's penalty spread along them, or are left out for a profile that avoids
steps. Nothing here uses geo.walk's graphs or its virtual-node formula.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence

import networkx as nx

from geo.walk import Snap, WalkNetwork, WalkProfile


def edge_seconds(network: WalkNetwork, profile: WalkProfile, k: int) -> float | None:
    """Seconds on edge k for the profile, None where it may not go (written out by hand)."""
    steps = bool(network.edge_steps[k])
    if steps and profile.avoid_steps:
        return None
    penalty = profile.step_penalty_s if steps else 0.0
    return float(network.edge_length_m[k]) / profile.speed_m_s + penalty


def oracle_graph(network: WalkNetwork, profile: WalkProfile, points: Sequence[Snap]) -> nx.Graph:
    """The network as a networkx graph with nodes ('n', i) and ('p', j) for point j."""
    graph = nx.Graph()
    graph.add_nodes_from(("n", i) for i in range(network.node_count))
    on_edge: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for j, s in enumerate(points):
        length = float(network.edge_length_m[s.edge_index])
        fraction = min(1.0, max(0.0, s.offset_m / length)) if length > 0 else 0.0
        on_edge[s.edge_index].append((fraction, j))
    for k in range(network.edge_count):
        w = edge_seconds(network, profile, k)
        if w is None:
            continue
        u, v = ("n", int(network.edge_u[k])), ("n", int(network.edge_v[k]))
        stops = [(0.0, u), *((f, ("s", j)) for f, j in sorted(on_edge.get(k, []))), (1.0, v)]
        for (fa, a), (fb, b) in itertools.pairwise(stops):
            if a == b:
                continue
            weight = (fb - fa) * w
            if graph.has_edge(a, b) and graph[a][b]["weight"] <= weight:
                continue
            graph.add_edge(a, b, weight=weight)
    for j, s in enumerate(points):
        graph.add_edge(("p", j), ("s", j), weight=s.snap_distance_m / profile.speed_m_s)
    return graph


def oracle_seconds(
    network: WalkNetwork, profile: WalkProfile, points: Sequence[Snap], origin: int, cutoff_s: float
) -> dict[object, float]:
    """Seconds from point `origin` to every graph node within `cutoff_s`."""
    graph = oracle_graph(network, profile, points)
    found: dict[object, float] = nx.single_source_dijkstra_path_length(
        graph, ("p", origin), cutoff=cutoff_s, weight="weight"
    )
    return found
