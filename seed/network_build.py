"""Building blocks for synthetic walking networks, worked in projected metres.

`GraphBuilder` collects nodes and edges in a local metric projection and turns them into
WGS-84 `geo.walk.Node`/`Edge` rows at the end (ids 1, 2, … in creation order; lengths
measured on the ellipsoid by `geo.walk.polyline_length_m`). Roads are densified with a
node at least every `MAX_SEGMENT_M` metres, so every junction, bank and bridge end is a
node and no edge is longer than that except bridges.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from geo.walk import Edge, LocalProjection, Node
from geo.walk.projection import segment_lengths_m

XY = tuple[float, float]
MAX_SEGMENT_M = 100.0


@dataclass(slots=True)
class DraftEdge:
    """A straight edge between node indices `a` and `b`."""

    a: int
    b: int
    kind: str
    steps: bool = False
    name: str | None = None


@dataclass(slots=True)
class GraphBuilder:
    """Nodes (metres) and edges under construction."""

    proj: LocalProjection
    xy: list[XY] = field(default_factory=list)
    edges: list[DraftEdge] = field(default_factory=list)
    bridges: list[int] = field(default_factory=list)

    def node(self, x: float, y: float) -> int:
        self.xy.append((float(x), float(y)))
        return len(self.xy) - 1

    def edge(
        self, a: int, b: int, kind: str, *, steps: bool = False, name: str | None = None
    ) -> int:
        self.edges.append(DraftEdge(a, b, kind, steps, name))
        if kind == "bridge":
            self.bridges.append(len(self.edges) - 1)
        return len(self.edges) - 1

    def chain(self, a: int, b: int, points: NDArray[np.float64], kind: str) -> None:
        """Edges a → points… → b, one node per interior point."""
        prev = a
        for x, y in points:
            cur = self.node(x, y)
            self.edge(prev, cur, kind)
            prev = cur
        self.edge(prev, b, kind)

    def nodes_array(self) -> NDArray[np.float64]:
        return np.array(self.xy, dtype=np.float64).reshape(-1, 2)

    def components(self) -> NDArray[np.int64]:
        """Connected-component label of every node."""
        n = len(self.xy)
        rows = np.array([e.a for e in self.edges], dtype=np.int64)
        cols = np.array([e.b for e in self.edges], dtype=np.int64)
        matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        labels: NDArray[np.int64] = connected_components(matrix, directed=False)[1]
        return labels

    def to_rows(self) -> tuple[list[Node], list[Edge]]:
        """WGS-84 rows; nodes no edge touches are dropped, ids are 1… in creation order.

        Edge lengths are measured on the ellipsoid (`polyline_length_m`), to the centimetre.
        """
        used = sorted({e.a for e in self.edges} | {e.b for e in self.edges})
        lonlat = np.round(self.proj.lonlat(self.nodes_array()), 7)
        ids = {k: i + 1 for i, k in enumerate(used)}
        nodes = [Node(ids[k], float(lonlat[k, 0]), float(lonlat[k, 1])) for k in used]
        a = lonlat[[e.a for e in self.edges]]
        b = lonlat[[e.b for e in self.edges]]
        lengths = np.round(segment_lengths_m(a, b), 2)
        edges = [
            Edge(
                u=ids[e.a],
                v=ids[e.b],
                length_m=float(length),
                steps=e.steps,
                kind=e.kind,
                geometry=((float(p[0]), float(p[1])), (float(q[0]), float(q[1]))),
                name=e.name,
            )
            for e, p, q, length in zip(self.edges, a, b, lengths, strict=True)
        ]
        return nodes, edges


def densify(line: NDArray[np.float64], max_segment_m: float = MAX_SEGMENT_M) -> NDArray[np.float64]:
    """Points along a polyline (ends included) no more than `max_segment_m` apart."""
    geom = LineString(line)
    count = max(1, math.ceil(geom.length / max_segment_m))
    along = np.linspace(0.0, geom.length, count + 1)
    return shapely.get_coordinates(shapely.line_interpolate_point(geom, along))


def road(
    builder: GraphBuilder,
    a: int,
    b: int,
    line: NDArray[np.float64],
    kind: str,
    water: BaseGeometry | None,
    *,
    allow_bridge: bool,
    bridge_name: str | None = None,
) -> bool:
    """Add a densified road from node a to node b along `line` (metres, ends at a and b).

    Where it crosses `water` the wet stretch becomes one 'bridge' edge between the dry
    points on either side, if `allow_bridge`; otherwise nothing is added and False is
    returned.
    """
    points = densify(line)
    points[0], points[-1] = builder.xy[a], builder.xy[b]
    wet = np.zeros(len(points) - 1, dtype=bool)
    if water is not None:
        segments = shapely.linestrings(
            np.stack((points[:-1], points[1:]), axis=1).reshape(-1, 2),
            indices=np.repeat(np.arange(len(points) - 1), 2),
        )
        wet = shapely.intersects(segments, water)
    if wet.any() and not allow_bridge:
        return False
    prev = a
    i = 0
    last = len(points) - 1
    while i < last:
        j = i + 1
        if wet[i]:
            while j < last and wet[j]:
                j += 1
            end = b if j == last else builder.node(*points[j])
            builder.edge(prev, end, "bridge", name=bridge_name)
        else:
            end = b if j == last else builder.node(*points[j])
            builder.edge(prev, end, kind)
        prev = end
        i = j
    return True


def crosses(a: XY, b: XY, barrier: BaseGeometry | None) -> bool:
    return barrier is not None and LineString([a, b]).intersects(barrier)


def inside(geom: BaseGeometry, points: NDArray[np.float64]) -> NDArray[np.bool_]:
    if len(points) == 0:
        return np.zeros(0, dtype=bool)
    result: NDArray[np.bool_] = shapely.contains_xy(geom, points[:, 0], points[:, 1])
    return result


def disc(centre: XY, radius: float) -> Polygon:
    return Point(centre).buffer(radius, quad_segs=16)


def nearest(b: GraphBuilder, candidates: Sequence[int], target: XY) -> list[int]:
    """`candidates` (node indices) ordered by distance to `target`, ties by given order."""
    if not candidates:
        return []
    xy = np.array([b.xy[k] for k in candidates]).reshape(-1, 2)
    order = np.argsort(np.hypot(xy[:, 0] - target[0], xy[:, 1] - target[1]), kind="stable")
    return [candidates[int(k)] for k in order]
