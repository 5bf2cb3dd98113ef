"""Layout pieces of a synthetic network: settlement grids, bridges and inter-town links.

All geometry is in projected metres (see `network_build.GraphBuilder`).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import Delaunay
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from seed.network_build import XY, GraphBuilder, crosses, inside, nearest


@dataclass(slots=True)
class Settlement:
    """A built-up area (urban core or town) with its grid's node and edge indices."""

    name: str
    anchor: XY
    area: BaseGeometry
    nodes: list[int] = field(default_factory=list)
    grid_edges: list[int] = field(default_factory=list)


def chaikin(points: Sequence[XY], rounds: int = 3) -> list[XY]:
    """Chaikin corner cutting: a smooth polyline through the same general course."""
    pts = list(points)
    for _ in range(rounds):
        out = [pts[0]]
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            out.append((0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1))
            out.append((0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1))
        out.append(pts[-1])
        pts = out
    return pts


def grid(
    b: GraphBuilder,
    s: Settlement,
    spacing: float,
    jitter: float,
    rng: random.Random,
    water: BaseGeometry,
) -> None:
    """A lattice rotated by up to ±25°, each node jittered, over `s.area` minus water.

    Lattice nodes lie on the anchor's grid; edges join lattice neighbours, except those
    that touch the water.
    """
    angle = math.radians(rng.uniform(-25.0, 25.0))
    c, si = math.cos(angle), math.sin(angle)
    minx, miny, maxx, maxy = s.area.bounds
    span = math.ceil(math.hypot(maxx - minx, maxy - miny) / spacing) + 1
    ij = [(i, j) for j in range(-span, span + 1) for i in range(-span, span + 1)]
    jit = np.array([(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in ij]) * jitter
    lat = np.array(ij, dtype=np.float64) * spacing
    pts = np.column_stack(
        (
            s.anchor[0] + c * lat[:, 0] - si * lat[:, 1],
            s.anchor[1] + si * lat[:, 0] + c * lat[:, 1],
        )
    )
    pts = pts + jit
    keep = inside(s.area, pts) & ~inside(water.buffer(10.0), pts)
    index: dict[tuple[int, int], int] = {}
    for k in np.flatnonzero(keep).tolist():
        index[ij[k]] = b.node(*pts[k])
        s.nodes.append(index[ij[k]])
    pairs = [
        (index[(i, j)], index[nb])
        for (i, j) in index
        for nb in ((i + 1, j), (i, j + 1))
        if nb in index
    ]
    if not pairs:
        return
    arr = np.array([(b.xy[p], b.xy[q]) for p, q in pairs]).reshape(-1, 2)
    lines = shapely.linestrings(arr, indices=np.repeat(np.arange(len(pairs)), 2))
    wet = shapely.intersects(lines, water)
    for (p, q), w in zip(pairs, wet.tolist(), strict=True):
        if not w:
            s.grid_edges.append(b.edge(p, q, "street"))


def bridge(
    b: GraphBuilder,
    nodes: Sequence[int],
    river: LineString,
    station: float,
    clearance: float,
    name: str,
) -> bool:
    """A bridge at `station` metres along `river`, between the two of `nodes` nearest to
    points `clearance` metres either side of it; False if no pair straddles the river.
    """
    p = river.interpolate(station)
    p0 = river.interpolate(max(0.0, station - 10.0))
    p1 = river.interpolate(station + 10.0)
    tx, ty = p1.x - p0.x, p1.y - p0.y
    norm = math.hypot(tx, ty) or 1.0
    nx, ny = -ty / norm, tx / norm
    ends = [
        nearest(b, nodes, (p.x + sign * nx * clearance, p.y + sign * ny * clearance))
        for sign in (1.0, -1.0)
    ]
    if not ends[0] or not ends[1]:
        return False
    a, c = ends[0][0], ends[1][0]
    if a == c or not crosses(b.xy[a], b.xy[c], river):
        return False
    b.edge(a, c, "bridge", name=name)
    return True


def exit_node(b: GraphBuilder, s: Settlement, towards: XY, barrier: BaseGeometry) -> int:
    """The node of `s` nearest to where the line from its anchor to `towards` leaves its
    area, preferring nodes that reach that point without crossing `barrier`.
    """
    hit = shapely.get_coordinates(LineString([s.anchor, towards]).intersection(s.area.boundary))
    if len(hit):
        far = int(np.argmax(np.hypot(hit[:, 0] - s.anchor[0], hit[:, 1] - s.anchor[1])))
        exit_xy: XY = (float(hit[far, 0]), float(hit[far, 1]))
    else:
        exit_xy = towards
    ranked = nearest(b, s.nodes, exit_xy)
    for node in ranked[:40]:
        if not crosses(b.xy[node], exit_xy, barrier):
            return node
    return ranked[0]


def curve(a: XY, c: XY, bend: float) -> NDArray[np.float64]:
    """A quadratic Bézier from `a` to `c`, bowed sideways by `bend` × its length."""
    dx, dy = c[0] - a[0], c[1] - a[1]
    length = math.hypot(dx, dy)
    control = np.array(((a[0] + c[0]) / 2 - dy * bend, (a[1] + c[1]) / 2 + dx * bend))
    t = np.linspace(0.0, 1.0, max(3, math.ceil(length / 200.0)))[:, None]
    out: NDArray[np.float64] = (
        (1 - t) ** 2 * np.array(a) + 2 * (1 - t) * t * control + t**2 * np.array(c)
    )
    return out


def delaunay_links(
    anchors: NDArray[np.float64], within: BaseGeometry, max_length: float
) -> list[tuple[int, int]]:
    """Delaunay edges of `anchors` on the minimum spanning tree, or no longer than
    `max_length` with their midpoint inside `within`; sorted pairs (i < j).
    """
    tri = Delaunay(anchors)
    found: set[tuple[int, int]] = set()
    for simplex in tri.simplices.tolist():
        for p, q in ((simplex[0], simplex[1]), (simplex[1], simplex[2]), (simplex[0], simplex[2])):
            found.add((min(p, q), max(p, q)))
    pairs = sorted(found)
    lengths = [math.dist(anchors[p], anchors[q]) for p, q in pairs]
    n = len(anchors)
    graph = csr_matrix((lengths, ([p for p, _ in pairs], [q for _, q in pairs])), shape=(n, n))
    mst = minimum_spanning_tree(graph).tocoo()
    on_mst = {
        (min(int(p), int(q)), max(int(p), int(q)))
        for p, q in zip(mst.row.tolist(), mst.col.tolist(), strict=True)
    }
    return [
        (p, q)
        for (p, q), length in zip(pairs, lengths, strict=True)
        if (p, q) in on_mst
        or (length <= max_length and within.contains(Point((anchors[p] + anchors[q]) / 2)))
    ]
