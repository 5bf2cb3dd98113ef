"""Snapping points onto the nearest walkable edge.

A point snaps to the nearest point of the nearest edge (an STRtree over the projected
edge lines, `query_nearest`). The straight line from the point to its snap is the
off-network leg; its length is reported as `snap_distance_m` and walked at the
profile's speed (see `times`). Beyond `max_distance_m` a point does not snap: the
caller gets None and should report "too far from any road", not covered or uncovered.
With `avoid_steps=True` stepped edges are ignored, so a wheelchair user is placed on
the nearest step-free edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike

from geo.walk.network import WalkNetwork

DEFAULT_MAX_SNAP_M = 500.0
"""Default snapping limit; callers usually pass their own."""


@dataclass(frozen=True, slots=True)
class Snap:
    """Where a point meets the network.

    `edge_index` indexes `WalkNetwork.edges`; `offset_m` is the distance along the edge
    from its `u` end in the edge's own metres (`length_m`); `snap_distance_m` is the
    straight off-network leg; (`lon`, `lat`) is the snapped point and (`point_lon`,
    `point_lat`) the point that was snapped (WGS-84).
    """

    edge_index: int
    offset_m: float
    snap_distance_m: float
    lon: float
    lat: float
    point_lon: float
    point_lat: float


def snap_many(
    network: WalkNetwork,
    lonlat: ArrayLike,
    *,
    max_distance_m: float = DEFAULT_MAX_SNAP_M,
    avoid_steps: bool = False,
) -> list[Snap | None]:
    """Snap every (lon, lat) row of `lonlat`; None where no edge is within `max_distance_m`
    (or the coordinates are not finite). Vectorised: one tree query for all points.
    """
    if not max_distance_m > 0:
        raise ValueError("max_distance_m must be positive")
    points_ll = np.asarray(lonlat, dtype=np.float64).reshape(-1, 2)
    out: list[Snap | None] = [None] * len(points_ll)
    finite = np.flatnonzero(np.isfinite(points_ll).all(axis=1))
    if len(finite) == 0 or network.edge_count == 0:
        return out
    tree, tree_edges = network.edge_tree(avoid_steps)
    if len(tree_edges) == 0:
        return out
    xy = network.projection.xy(points_ll[finite])
    points = shapely.points(xy)
    (hit, item), dist = tree.query_nearest(
        points, max_distance=max_distance_m, return_distance=True, all_matches=False
    )
    if len(hit) == 0:
        return out
    edges = tree_edges[item]
    lines = network.edge_lines[edges]
    along = shapely.line_locate_point(lines, points[hit])
    line_m = network.edge_line_m[edges]
    fraction = np.divide(along, line_m, out=np.zeros_like(along), where=line_m > 0)
    fraction = np.clip(fraction, 0.0, 1.0)
    offsets = fraction * network.edge_length_m[edges]
    snapped = network.projection.lonlat(
        shapely.get_coordinates(shapely.line_interpolate_point(lines, along))
    )
    for j, (i, edge) in enumerate(zip(finite[hit], edges, strict=True)):
        out[int(i)] = Snap(
            edge_index=int(edge),
            offset_m=float(offsets[j]),
            snap_distance_m=float(dist[j]),
            lon=float(snapped[j, 0]),
            lat=float(snapped[j, 1]),
            point_lon=float(points_ll[i, 0]),
            point_lat=float(points_ll[i, 1]),
        )
    return out


def snap(
    network: WalkNetwork,
    lon: float,
    lat: float,
    *,
    max_distance_m: float = DEFAULT_MAX_SNAP_M,
    avoid_steps: bool = False,
) -> Snap | None:
    """Snap one point; None if no edge is within `max_distance_m`."""
    return snap_many(network, [(lon, lat)], max_distance_m=max_distance_m, avoid_steps=avoid_steps)[
        0
    ]


class SnapCache:
    """Snaps of recurring points (facilities) kept per exact (lon, lat): the network never
    changes after loading, so a point moved in the registry is simply a new key.

    One cache serves one network, snap limit and step rule. When `max_points` is reached
    the cache starts afresh. Safe to share between threads (a race only snaps twice).
    """

    def __init__(
        self,
        network: WalkNetwork,
        *,
        max_distance_m: float = DEFAULT_MAX_SNAP_M,
        avoid_steps: bool = False,
        max_points: int = 100_000,
    ) -> None:
        self.network = network
        self.max_distance_m = max_distance_m
        self.avoid_steps = avoid_steps
        self.max_points = max_points
        self._snaps: dict[tuple[float, float], Snap | None] = {}

    def snap_many(self, lonlat: Sequence[tuple[float, float]]) -> list[Snap | None]:
        """Like `snap_many`, snapping only the points not seen before."""
        keys = [(float(lon), float(lat)) for lon, lat in lonlat]
        known = self._snaps
        missing = [k for k in dict.fromkeys(keys) if k not in known]
        fresh: dict[tuple[float, float], Snap | None] = {}
        if missing:
            snapped = snap_many(
                self.network,
                missing,
                max_distance_m=self.max_distance_m,
                avoid_steps=self.avoid_steps,
            )
            fresh = dict(zip(missing, snapped, strict=True))
        out = [fresh[k] if k in fresh else known[k] for k in keys]
        if fresh:
            if len(known) + len(fresh) > self.max_points:
                self._snaps = fresh
            else:
                known.update(fresh)
        return out
