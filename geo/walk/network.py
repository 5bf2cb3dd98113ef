"""An undirected walking network as numpy arrays, with one sparse graph per profile.

Nodes carry an integer id and WGS-84 (lon, lat); edges join two node ids with a length
in metres taken from the data (never recomputed here), a `steps` flag, a `kind`
('street', 'bridge', 'lane', 'path', or an OSM highway class) and a (lon, lat) polyline
running from `u` to `v` (reversed on load if it runs the other way; two points if
absent). Geometry is kept in a local metric projection (`projection.LocalProjection`)
for snapping and drawing; a position along an edge is the same fraction of `length_m`
as of the projected polyline.

Edge weights are seconds: ``length_m / speed + step_penalty_s × steps``; with a profile
that avoids steps, stepped edges get weight ∞ and are left out of its graph. The graph
is a symmetric `scipy.sparse` CSR matrix (parallel edges keep the fastest, self-loops
are dropped since they never shorten a walk), built once per distinct weight key.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree
from shapely import STRtree

from geo.walk.profiles import WalkProfile
from geo.walk.projection import LocalProjection, projection_about

LonLat = tuple[float, float]
CSR = tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]


@dataclass(frozen=True, slots=True)
class Node:
    """A junction or dead end: integer id and WGS-84 position."""

    id: int
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class Edge:
    """An undirected walkable segment between node ids `u` and `v`."""

    u: int
    v: int
    length_m: float
    steps: bool = False
    kind: str = "street"
    geometry: tuple[LonLat, ...] = ()
    name: str | None = None


class WalkNetwork:
    """Arrays over nodes and edges, the projected edge lines and per-profile graphs.

    Index conventions: `node_ids[i]` is the id of node index i; `edge_u[k]`, `edge_v[k]`
    are node *indices* of edge k (edge k is `edges[k]` of the input, in order).
    Instances are read-only after construction and safe to share between threads.
    """

    def __init__(self, nodes: Sequence[Node], edges: Sequence[Edge]) -> None:
        if not nodes:
            raise ValueError("a walking network needs at least one node")
        self.node_ids: NDArray[np.int64] = np.array([n.id for n in nodes], dtype=np.int64)
        self.node_lonlat: NDArray[np.float64] = np.array(
            [(n.lon, n.lat) for n in nodes], dtype=np.float64
        )
        if not np.isfinite(self.node_lonlat).all():
            raise ValueError("node coordinates must be finite")
        self._index: dict[int, int] = {int(i): k for k, i in enumerate(self.node_ids)}
        if len(self._index) != len(nodes):
            raise ValueError("node ids must be unique")
        self.projection: LocalProjection = projection_about(self.node_lonlat)
        self.node_xy: NDArray[np.float64] = self.projection.xy(self.node_lonlat)

        index = self._index
        try:
            self.edge_u: NDArray[np.int64] = np.array([index[e.u] for e in edges], dtype=np.int64)
            self.edge_v: NDArray[np.int64] = np.array([index[e.v] for e in edges], dtype=np.int64)
        except KeyError as exc:
            raise ValueError(f"an edge refers to unknown node {exc.args[0]}") from None
        self.edge_length_m: NDArray[np.float64] = np.array(
            [e.length_m for e in edges], dtype=np.float64
        )
        bad = np.flatnonzero(~(np.isfinite(self.edge_length_m) & (self.edge_length_m >= 0)))
        if len(bad):
            raise ValueError(f"edge {int(bad[0])}: length_m must be a finite number >= 0")
        self.edge_steps: NDArray[np.bool_] = np.array([e.steps for e in edges], dtype=bool)
        self.edge_kind: tuple[str, ...] = tuple(e.kind for e in edges)
        self.edge_name: tuple[str | None, ...] = tuple(e.name for e in edges)
        self.edge_lines: NDArray[Any] = self._lines(edges)
        self.edge_line_m: NDArray[np.float64] = shapely.length(self.edge_lines).astype(np.float64)
        self.spatial_slack_m, self.length_ratio = self._bounds()
        self._lock = threading.Lock()
        self._graphs: dict[tuple[float, bool, float], Any] = {}
        self._csr: dict[tuple[float, bool, float], CSR] = {}
        self._weights: dict[tuple[float, bool, float], NDArray[np.float64]] = {}
        self._trees: dict[bool, tuple[STRtree, NDArray[np.int64]]] = {}
        self._kdtree: cKDTree | None = None

    def _lines(self, edges: Sequence[Edge]) -> NDArray[Any]:
        """Projected LineStrings, each oriented from u to v (two points if no geometry)."""
        flat: list[LonLat] = []
        counts = np.empty(len(edges), dtype=np.int64)
        for k, edge in enumerate(edges):
            if edge.geometry:
                if len(edge.geometry) < 2:
                    raise ValueError(f"edge {k}: geometry needs at least two points")
                flat.extend(edge.geometry)
                counts[k] = len(edge.geometry)
            else:
                iu, iv = self.edge_u[k], self.edge_v[k]
                flat.append((float(self.node_lonlat[iu, 0]), float(self.node_lonlat[iu, 1])))
                flat.append((float(self.node_lonlat[iv, 0]), float(self.node_lonlat[iv, 1])))
                counts[k] = 2
        if not len(edges):
            return np.empty(0, dtype=object)
        xy = self.projection.xy(np.array(flat, dtype=np.float64))
        if not np.isfinite(xy).all():
            raise ValueError("edge geometry must be finite")
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        ends = starts + counts - 1
        pu, pv = self.node_xy[self.edge_u], self.node_xy[self.edge_v]
        forward = np.hypot(*(xy[starts] - pu).T) + np.hypot(*(xy[ends] - pv).T)
        backward = np.hypot(*(xy[starts] - pv).T) + np.hypot(*(xy[ends] - pu).T)
        flip = np.repeat(backward < forward, counts)
        owner = np.repeat(np.arange(len(edges)), counts)
        position = np.arange(len(xy)) - np.repeat(starts, counts)
        order = np.where(flip, np.repeat(ends, counts) - position, np.arange(len(xy)))
        lines: NDArray[Any] = shapely.linestrings(xy[order], indices=owner)
        return lines

    def _bounds(self) -> tuple[float, float]:
        """(slack, ratio) such that a walk of `t` seconds at `speed` from a snapped point
        stays within ``slack + t·speed/ratio`` metres of it (projected): `ratio` is the
        least `length_m` per projected metre of any edge line or chord, `slack` the
        largest gap between an edge line's ends and its nodes.
        """
        if not self.edge_count:
            return 0.0, 1.0
        first = shapely.get_coordinates(shapely.get_point(self.edge_lines, 0))
        last = shapely.get_coordinates(shapely.get_point(self.edge_lines, -1))
        pu, pv = self.node_xy[self.edge_u], self.node_xy[self.edge_v]
        gaps = np.maximum(np.hypot(*(first - pu).T), np.hypot(*(last - pv).T))
        chord = np.hypot(*(pu - pv).T)
        spread = np.maximum(self.edge_line_m, chord)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = np.where(spread > 0, self.edge_length_m / spread, np.inf)
        return float(gaps.max()) + 1.0, float(min(1.0, ratios.min()))

    def near_nodes(self, xy: tuple[float, float], radius_m: float) -> NDArray[np.int64]:
        """Node indices within `radius_m` projected metres of `xy`, ascending."""
        tree = self._kdtree
        if tree is None:
            with self._lock:
                if self._kdtree is None:
                    self._kdtree = cKDTree(self.node_xy)
                tree = self._kdtree
        found = np.array(tree.query_ball_point(xy, radius_m), dtype=np.int64)
        found.sort()
        return found

    @property
    def node_count(self) -> int:
        return len(self.node_ids)

    @property
    def edge_count(self) -> int:
        return len(self.edge_u)

    def index_of(self, node_id: int) -> int:
        """The index of a node id (KeyError if unknown)."""
        return self._index[node_id]

    def edge_seconds(self, profile: WalkProfile) -> NDArray[np.float64]:
        """Seconds to walk each whole edge for `profile` (∞ where the profile may not go)."""
        key = profile.weight_key
        cached = self._weights.get(key)
        if cached is not None:
            return cached
        seconds = self.edge_length_m / profile.speed_m_s
        seconds = seconds + np.where(self.edge_steps, profile.step_penalty_s, 0.0)
        if profile.avoid_steps:
            seconds = np.where(self.edge_steps, np.inf, seconds)
        seconds.setflags(write=False)
        with self._lock:
            return self._weights.setdefault(key, seconds)

    def graph(self, profile: WalkProfile) -> Any:
        """The symmetric CSR matrix of edge seconds for `profile` (cached per weight key)."""
        key = profile.weight_key
        cached = self._graphs.get(key)
        if cached is not None:
            return cached
        weights = self.edge_seconds(profile)
        usable = np.isfinite(weights) & (self.edge_u != self.edge_v)
        rows = np.concatenate((self.edge_u[usable], self.edge_v[usable]))
        cols = np.concatenate((self.edge_v[usable], self.edge_u[usable]))
        data = np.concatenate((weights[usable], weights[usable]))
        order = np.lexsort((data, cols, rows))
        rows, cols, data = rows[order], cols[order], data[order]
        first = np.ones(len(rows), dtype=bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        n = self.node_count
        matrix = csr_matrix((data[first], (rows[first], cols[first])), shape=(n, n))
        with self._lock:
            return self._graphs.setdefault(key, matrix)

    def csr(self, profile: WalkProfile) -> CSR:
        """`graph(profile)` as (indptr, indices, data), int32 and float64 (cached): the
        compiled Dijkstra's input (`dijkstra`); int32 halves its memory traffic."""
        key = profile.weight_key
        cached = self._csr.get(key)
        if cached is not None:
            return cached
        matrix = self.graph(profile)
        if matrix.nnz >= 2**31:
            raise ValueError("the network is too large for int32 indices")
        arrays = (
            matrix.indptr.astype(np.int32),
            matrix.indices.astype(np.int32),
            matrix.data.astype(np.float64),
        )
        with self._lock:
            return self._csr.setdefault(key, arrays)

    def edge_tree(self, avoid_steps: bool) -> tuple[STRtree, NDArray[np.int64]]:
        """An STRtree over projected edge lines and the edge index of each tree item."""
        cached = self._trees.get(avoid_steps)
        if cached is not None:
            return cached
        usable = ~self.edge_steps if avoid_steps else np.ones(self.edge_count, dtype=bool)
        index = np.flatnonzero(usable).astype(np.int64)
        tree = STRtree(self.edge_lines[index])
        with self._lock:
            return self._trees.setdefault(avoid_steps, (tree, index))

    def edge_geometry_lonlat(self, k: int) -> shapely.LineString:
        """Edge k's polyline in WGS-84, oriented from u to v."""
        line: shapely.LineString = self.projection.to_lonlat(self.edge_lines[k])
        return line


def largest_component(
    nodes: Sequence[Node], edges: Sequence[Edge]
) -> tuple[list[Node], list[Edge]]:
    """The nodes and edges of the largest connected component (ties: lowest node order).

    Points snapped onto a fragment cut off from the rest could reach nothing, so importers
    keep only the main component.
    """
    index = {n.id: k for k, n in enumerate(nodes)}
    rows = np.array([index[e.u] for e in edges], dtype=np.int64)
    cols = np.array([index[e.v] for e in edges], dtype=np.int64)
    n = len(nodes)
    matrix = csr_matrix((np.ones(len(edges)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(matrix, directed=False)
    sizes = np.bincount(labels)
    main = int(np.argmax(sizes))
    keep = {nodes[int(k)].id for k in np.flatnonzero(labels == main)}
    return [nd for nd in nodes if nd.id in keep], [e for e in edges if e.u in keep]
