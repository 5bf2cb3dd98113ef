"""Batched Dijkstra for many origins, each a virtual node joined to its edge's two ends.

Every origin becomes a virtual node with edges to u and v weighted with its start times
(off-network leg + the part of its edge up to that end). Virtual nodes have no incoming
edges, so no walk passes through one, and sums form in path order (start, then edge by
edge), identically whichever batch an origin lands in.

A walk of t seconds stays within ``slack + t·speed/ratio`` projected metres of its snapped
origin (`WalkNetwork.length_ratio`), which allows two exact shortcuts:

- Crowded cells (at least `CROWDED` origins in a square of that radius): one call with a
  row per origin on the sub-network that the cell can reach.
- Everything else: origins whose discs cannot overlap (farther apart than twice the
  radius) share one multi-source call with `min_only=True`: each node within the cutoff
  of one of them is within the cutoff of that one only, and scipy reports which
  (`sources`). A greedy colouring packs the origins into few such sets.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from geo.walk.network import WalkNetwork

CROWDED = 6
CELL_FACTOR = 1.0
CHUNK_CELLS = 1 << 21
"""Upper bound on rows × nodes of one dense Dijkstra result (16 MB of float64)."""

NodeSeconds = tuple[NDArray[np.int64], NDArray[np.float64]]
EMPTY: NodeSeconds = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))


def _graph_with_origins(
    graph: Any,
    nodes: NDArray[np.int64] | None,
    pos_u: NDArray[np.int64],
    pos_v: NDArray[np.int64],
    start_u: NDArray[np.float64],
    start_v: NDArray[np.float64],
) -> Any:
    """The CSR `graph` restricted to `nodes` (ascending; None = all), renumbered 0…, plus one
    virtual node per origin with edges to positions `pos_u`, `pos_v` (∞ = no edge).
    """
    indptr, indices, data = graph.indptr, graph.indices, graph.data
    if nodes is not None:
        pos = np.full(graph.shape[0], -1, dtype=np.int64)
        pos[nodes] = np.arange(len(nodes))
        first, counts = indptr[nodes], indptr[nodes + 1] - indptr[nodes]
        offsets = np.cumsum(counts) - counts
        take = np.arange(int(counts.sum())) - np.repeat(offsets - first, counts)
        cols = pos[indices[take]]
        keep = cols >= 0
        rows = np.repeat(np.arange(len(nodes)), counts)[keep]
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=len(nodes)))))
        indices, data = cols[keep], data[take][keep]
    n = len(indptr) - 1
    ends = np.stack((pos_u, pos_v), axis=1)
    starts = np.stack((start_u, start_v), axis=1)
    finite = np.isfinite(starts)
    indptr = np.concatenate((indptr, indptr[-1] + np.cumsum(finite.sum(axis=1))))
    indices = np.concatenate((indices, ends[finite])).astype(np.int32)
    values = np.concatenate((data, starts[finite]))
    size = n + len(pos_u)
    return csr_matrix((values, indices, indptr.astype(np.int32)), shape=(size, size))


def _crowded(
    network: WalkNetwork,
    graph: Any,
    members: NDArray[np.int64],
    nodes: NDArray[np.int64],
    ends: tuple[NDArray[np.int64], NDArray[np.int64]],
    starts: tuple[NDArray[np.float64], NDArray[np.float64]],
    cutoff_s: float,
    out: list[NodeSeconds],
) -> None:
    """One row per origin on the sub-network `nodes` (which holds every node in reach)."""
    nodes = np.union1d(nodes, np.concatenate((ends[0][members], ends[1][members])))
    per_chunk = max(1, CHUNK_CELLS // (len(nodes) + len(members)))
    for lo in range(0, len(members), per_chunk):
        chunk = members[lo : lo + per_chunk]
        aug = _graph_with_origins(
            graph,
            nodes,
            np.searchsorted(nodes, ends[0][chunk]),
            np.searchsorted(nodes, ends[1][chunk]),
            starts[0][chunk],
            starts[1][chunk],
        )
        virtual = len(nodes) + np.arange(len(chunk))
        rows = dijkstra(aug, directed=True, indices=virtual, limit=cutoff_s)[:, : len(nodes)]
        hit_rows, hit_cols = np.nonzero(rows <= cutoff_s)
        bounds = np.searchsorted(hit_rows, np.arange(len(chunk) + 1))
        for j, i in enumerate(chunk.tolist()):
            cols = hit_cols[bounds[j] : bounds[j + 1]]
            out[i] = (nodes[cols], rows[j, cols])


def _colours(xy: NDArray[np.float64], gap: float) -> NDArray[np.int64]:
    """Greedy colouring: origins of one colour are pairwise farther apart than `gap`."""
    neighbours: list[list[int]] = [[] for _ in range(len(xy))]
    for i, j in cKDTree(xy).query_pairs(gap, output_type="ndarray").tolist():
        neighbours[i].append(j)
        neighbours[j].append(i)
    colour = np.full(len(xy), -1, dtype=np.int64)
    for i in range(len(xy)):
        taken = {int(colour[j]) for j in neighbours[i]}
        c = 0
        while c in taken:
            c += 1
        colour[i] = c
    return colour


def _apart(
    graph: Any,
    groups: list[NDArray[np.int64]],
    ends: tuple[NDArray[np.int64], NDArray[np.int64]],
    starts: tuple[NDArray[np.float64], NDArray[np.float64]],
    cutoff_s: float,
    out: list[NodeSeconds],
) -> None:
    """One multi-source call per group of origins whose reaches cannot overlap.

    All groups share one augmented graph: a group's calls start from its own virtual
    nodes only, and no edge leads into any virtual node.
    """
    n = graph.shape[0]
    members = np.concatenate(groups)
    aug = _graph_with_origins(
        graph, None, ends[0][members], ends[1][members], starts[0][members], starts[1][members]
    )
    first = 0
    for group in groups:
        virtual = n + first + np.arange(len(group))
        first += len(group)
        dist, _, source = dijkstra(
            aug,
            directed=True,
            indices=virtual,
            limit=cutoff_s,
            min_only=True,
            return_predecessors=True,
        )
        reached = np.flatnonzero(dist[:n] <= cutoff_s)
        owner = source[reached] - virtual[0]
        order = np.argsort(owner, kind="stable")
        reached, owner = reached[order], owner[order]
        bounds = np.searchsorted(owner, np.arange(len(group) + 1))
        for j, i in enumerate(group.tolist()):
            nodes = reached[bounds[j] : bounds[j + 1]].astype(np.int64)
            out[i] = (nodes, dist[nodes])


def node_seconds(
    network: WalkNetwork,
    graph: Any,
    speed_m_s: float,
    xy: NDArray[np.float64],
    ends: tuple[NDArray[np.int64], NDArray[np.int64]],
    starts: tuple[NDArray[np.float64], NDArray[np.float64]],
    cutoff_s: float,
) -> list[NodeSeconds]:
    """(reached node indices ascending, their seconds) per origin.

    `xy` are the snapped origins (projected metres), `ends` their edges' node indices and
    `starts` the seconds at those ends (off-network leg included); ∞ marks an unusable end.
    """
    out: list[NodeSeconds] = [EMPTY] * len(xy)
    live = np.flatnonzero(np.minimum(*starts) <= cutoff_s)
    if not len(live):
        return out
    radius = network.spatial_slack_m + cutoff_s * speed_m_s / network.length_ratio
    cell = max(radius * CELL_FACTOR, 1.0)
    keys = np.floor(xy[live] / cell).astype(np.int64)
    cells, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    order = np.argsort(inverse.ravel(), kind="stable")
    bounds = np.concatenate(([0], np.cumsum(counts)))
    scattered: list[NDArray[np.int64]] = []
    for c, (kx, ky) in enumerate(cells.tolist()):
        members = live[order[bounds[c] : bounds[c + 1]]]
        if len(members) < CROWDED:
            scattered.append(members)
            continue
        centre = ((kx + 0.5) * cell, (ky + 0.5) * cell)
        nodes = network.near_nodes(centre, radius + cell * 0.7072)
        _crowded(network, graph, members, nodes, ends, starts, cutoff_s, out)
    if scattered:
        rest = np.sort(np.concatenate(scattered))
        colour = _colours(xy[rest], 2.0 * radius)
        groups = [rest[colour == c] for c in range(int(colour.max()) + 1)]
        _apart(graph, groups, ends, starts, cutoff_s, out)
    return out
