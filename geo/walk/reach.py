"""Reach areas: the walkable area within some minutes, as WGS-84 polygons.

For S seconds, the reached linework is, on every usable edge (u, v) with whole-edge
seconds w and node seconds T(u), T(v): the piece [0, (S − T(u))/w] from u, the piece
[1 − (S − T(v))/w, 1] from v (fractions of the edge), and on the origin's own edge the
piece around the origin, (S − leg)/w either side; plus the straight off-network leg from
the point itself to its snap, as far as the time allows. That linework is buffered by
`buffer_m` metres (default 30 m: a street's width and the buildings along it) in the
network's metric projection, then mapped back to WGS-84 lon/lat.

Contours are nested by construction (each is unioned with the smaller ones), so a
smaller-minute area always lies inside a larger one.

The union over many reaches (e.g. all facilities of a kind in a region) uses the
node-wise minimum of their seconds, which is exactly the union of their linework.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from geo.walk.network import WalkNetwork
from geo.walk.times import Reach

DEFAULT_BUFFER_M = 30.0
MAX_BUFFER_M = 500.0
QUAD_SEGS = 6

Interval = tuple[float, float]


def _merge(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _lines(
    network: WalkNetwork,
    weights: NDArray[np.float64],
    times: NDArray[np.float64],
    reaches: Sequence[Reach],
    seconds: float,
) -> list[BaseGeometry]:
    """Projected (metre) line pieces reached within `seconds`."""
    usable = np.isfinite(weights)
    w = np.where(usable, weights, 1.0)
    t_u = times[network.edge_u]
    t_v = times[network.edge_v]
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(t_u <= seconds, np.where(w > 0, (seconds - t_u) / w, 1.0), -1.0)
        b = np.where(t_v <= seconds, np.where(w > 0, (seconds - t_v) / w, 1.0), -1.0)
    a = np.minimum(a, 1.0)
    b = np.minimum(b, 1.0)
    full = usable & (np.maximum(a, 0.0) + np.maximum(b, 0.0) >= 1.0) & ((a >= 0) | (b >= 0))
    pieces: dict[int, list[Interval]] = {}
    for k in np.flatnonzero(usable & ~full & (a > 0)).tolist():
        pieces.setdefault(k, []).append((0.0, float(a[k])))
    for k in np.flatnonzero(usable & ~full & (b > 0)).tolist():
        pieces.setdefault(k, []).append((1.0 - float(b[k]), 1.0))
    out: list[BaseGeometry] = list(network.edge_lines[full])
    for reach in reaches:
        snap = reach.origin
        edge = snap.edge_index
        left = seconds - reach.origin_leg_s
        if left < 0:
            continue
        leg_m = min(snap.snap_distance_m, seconds * reach.profile.speed_m_s)
        if leg_m > 0:
            start = network.projection.xy(np.array([[snap.point_lon, snap.point_lat]]))[0]
            end = network.projection.xy(np.array([[snap.lon, snap.lat]]))[0]
            direction = (end - start) / max(snap.snap_distance_m, 1e-9)
            out.append(LineString([start, start + direction * leg_m]))
        if full[edge] or not usable[edge]:
            continue
        length = network.edge_length_m[edge]
        f0 = snap.offset_m / length if length > 0 else 0.0
        r = left / weights[edge] if weights[edge] > 0 else 1.0
        pieces.setdefault(edge, []).append((max(0.0, f0 - r), min(1.0, f0 + r)))
    for edge, intervals in pieces.items():
        for lo, hi in _merge(intervals):
            if hi > lo:
                out.append(substring(network.edge_lines[edge], lo, hi, normalized=True))
    return out


def _area(pieces: list[BaseGeometry], buffer_m: float) -> BaseGeometry:
    if not pieces:
        return Polygon()
    parts = shapely.buffer(np.array(pieces, dtype=object), buffer_m, quad_segs=QUAD_SEGS)
    return shapely.union_all(parts)


def _multipolygon(geom: BaseGeometry) -> MultiPolygon:
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]
    return MultiPolygon(parts)


def _validate(reaches: Sequence[Reach], minutes: Sequence[float], buffer_m: float) -> None:
    if not reaches:
        raise ValueError("at least one reach is required")
    first = reaches[0]
    for reach in reaches[1:]:
        if reach.network is not first.network or reach.profile != first.profile:
            raise ValueError("reaches must share one network and one profile")
    cap = min(r.cutoff_s for r in reaches) / 60.0
    for m in minutes:
        if not (np.isfinite(m) and 0 < m <= cap + 1e-9):
            raise ValueError(f"minutes must be > 0 and <= the reach cutoff ({cap:g} minutes)")
    if not (0 < buffer_m <= MAX_BUFFER_M):
        raise ValueError(f"buffer_m must be > 0 and <= {MAX_BUFFER_M:g}")


def _min_times(reaches: Sequence[Reach]) -> NDArray[np.float64]:
    times = np.full(reaches[0].network.node_count, np.inf)
    for reach in reaches:
        np.minimum.at(times, reach.nodes, reach.seconds)
    return times


def reach_polygons(
    reach: Reach, minutes: Sequence[float], *, buffer_m: float = DEFAULT_BUFFER_M
) -> list[MultiPolygon]:
    """The area reached within each of `minutes` (WGS-84), in the order given.

    Each contour contains every smaller one. Minutes must not exceed the reach's cutoff.
    """
    return union_reach_polygons([reach], minutes, buffer_m=buffer_m)


def union_reach_polygons(
    reaches: Sequence[Reach], minutes: Sequence[float], *, buffer_m: float = DEFAULT_BUFFER_M
) -> list[MultiPolygon]:
    """The union of several reaches' areas for each of `minutes` (nested, WGS-84)."""
    _validate(reaches, minutes, buffer_m)
    network = reaches[0].network
    weights = network.edge_seconds(reaches[0].profile)
    times = _min_times(reaches)
    by_minutes: dict[float, MultiPolygon] = {}
    previous: BaseGeometry = Polygon()
    for m in sorted(set(minutes)):
        area = _area(_lines(network, weights, times, reaches, 60.0 * m), buffer_m)
        if not previous.is_empty:
            area = shapely.union(area, previous)
        previous = area
        by_minutes[m] = _multipolygon(network.projection.to_lonlat(area))
    return [by_minutes[m] for m in minutes]


def union_reach_polygon(
    reaches: Sequence[Reach], minutes: float, *, buffer_m: float = DEFAULT_BUFFER_M
) -> MultiPolygon:
    """The union of several reaches' areas at one contour (e.g. all facilities of a kind)."""
    return union_reach_polygons(reaches, [minutes], buffer_m=buffer_m)[0]
