"""Walking seconds from the nearest of many facilities to every node and to many points.

One Dijkstra for all facilities of a kind: each facility is a virtual node with edges to
the two ends of the edge it snapped to, weighted leg + f·w and leg + (1 − f)·w as in
`geo.walk.times`; scipy's multi-source Dijkstra (`min_only=True`) gives every node the
seconds from its nearest facility and which facility that is. The network is
undirected with symmetric weights, so "from the nearest facility" equals "to the
nearest facility". A point then takes min(T(u) + f·w, T(v) + (1 − f)·w) + its leg, or
the direct walk along its own edge to a facility on the same edge: the same sums
`geo.walk.seconds_to_targets` forms, so both agree to rounding.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geo.walk import Snap, WalkNetwork, WalkProfile


@dataclass(frozen=True, slots=True)
class Terms:
    """Per snapped position: edge index, seconds to its u end and v end, off-network leg."""

    edge: NDArray[np.int64]
    to_u: NDArray[np.float64]
    to_v: NDArray[np.float64]
    leg: NDArray[np.float64]


def terms(network: WalkNetwork, profile: WalkProfile, snaps: Sequence[Snap]) -> Terms:
    weights = network.edge_seconds(profile)
    edge = np.array([s.edge_index for s in snaps], dtype=np.int64)
    offset = np.array([s.offset_m for s in snaps], dtype=np.float64)
    leg = np.array([s.snap_distance_m for s in snaps], dtype=np.float64) / profile.speed_m_s
    length = network.edge_length_m[edge] if len(edge) else np.zeros(0)
    fraction = np.clip(
        np.divide(offset, length, out=np.zeros_like(offset), where=length > 0), 0.0, 1.0
    )
    w = weights[edge] if len(edge) else np.zeros(0)
    finite = np.isfinite(w)
    safe = np.where(finite, w, 0.0)
    to_u = np.where(finite, fraction * safe, np.inf)
    to_v = np.where(finite, (1.0 - fraction) * safe, np.inf)
    return Terms(edge, to_u, to_v, leg)


@dataclass(frozen=True, slots=True, eq=False)
class Nearest:
    """Seconds from the nearest source to each node (∞ beyond the cutoff) and its index."""

    seconds: NDArray[np.float64]
    source: NDArray[np.int64]
    sources: Terms
    cutoff_s: float


def nearest_sources(
    network: WalkNetwork, profile: WalkProfile, sources: Sequence[Snap], cutoff_s: float
) -> Nearest:
    """Multi-source Dijkstra from every snapped source at once (see the module docstring)."""
    n = network.node_count
    t = terms(network, profile, sources)
    if not len(sources):
        return Nearest(np.full(n, np.inf), np.full(n, -1, dtype=np.int64), t, cutoff_s)
    graph = network.graph(profile)
    m = len(sources)
    start = np.stack((t.leg + t.to_u, t.leg + t.to_v), axis=1)
    ends = np.stack((network.edge_u[t.edge], network.edge_v[t.edge]), axis=1)
    finite = np.isfinite(start)
    coo = graph.tocoo()
    rows = np.concatenate((coo.row, np.repeat(n + np.arange(m), 2)[finite.ravel()]))
    cols = np.concatenate((coo.col, ends.ravel()[finite.ravel()]))
    data = np.concatenate((coo.data, start.ravel()[finite.ravel()]))
    aug = csr_matrix((data, (rows, cols)), shape=(n + m, n + m))
    dist, _, owner = dijkstra(
        aug,
        directed=True,
        indices=n + np.arange(m),
        limit=cutoff_s,
        min_only=True,
        return_predecessors=True,
    )
    seconds = np.asarray(dist[:n], dtype=np.float64)
    source = np.where(np.isfinite(seconds), owner[:n] - n, -1).astype(np.int64)
    seconds[~(seconds <= cutoff_s)] = np.inf
    return Nearest(seconds, source, t, float(cutoff_s))


def point_seconds(
    network: WalkNetwork, profile: WalkProfile, nearest: Nearest, points: Sequence[Snap | None]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Seconds from the nearest source to each point (∞ if None or beyond the cutoff) and
    the index of that source (−1 when none)."""
    out = np.full(len(points), np.inf)
    who = np.full(len(points), -1, dtype=np.int64)
    present = np.array([i for i, p in enumerate(points) if p is not None], dtype=np.int64)
    if len(present):
        t = terms(network, profile, [p for p in points if p is not None])
        out[present], who[present] = seconds_at(network, nearest, t)
    return out, who


def seconds_at(
    network: WalkNetwork, nearest: Nearest, t: Terms
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """`point_seconds` for points given as precomputed `terms` (all present)."""
    u, v = network.edge_u[t.edge], network.edge_v[t.edge]
    via_u = nearest.seconds[u] + t.to_u
    via_v = nearest.seconds[v] + t.to_v
    best = np.minimum(via_u, via_v)
    src = np.where(via_u <= via_v, nearest.source[u], nearest.source[v])
    s = nearest.sources
    on_edge: defaultdict[int, list[int]] = defaultdict(list)
    for j, e in enumerate(s.edge.tolist()):
        if np.isfinite(s.to_u[j]):
            on_edge[e].append(j)
    if on_edge:
        for i in np.flatnonzero(np.isin(t.edge, list(on_edge))).tolist():
            for j in on_edge[int(t.edge[i])]:
                direct = s.leg[j] + abs(t.to_u[i] - s.to_u[j])
                if direct < best[i]:
                    best[i], src[i] = direct, j
    total = best + t.leg
    keep = total <= nearest.cutoff_s
    return np.where(keep, total, np.inf), np.where(keep, src, -1).astype(np.int64)
