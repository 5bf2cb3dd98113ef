"""Metres on the WGS-84 ellipsoid at city scale: a local projection and polyline lengths.

The projection is equirectangular about an origin, scaled by the ellipsoid's radii of
curvature at the origin's latitude: x east and y north in metres. Over a district
(a few km) its scale error is far below 0.1 %; over a whole prefecture such as 资阳
(about ±0.25° of latitude) the east-west scale drifts by up to about 0.4 % at the edges,
which only affects snapping distances and drawing, never walking lengths: those come
from the data (`Edge.length_m`) or from `polyline_length_m`, which measures each short
segment at its own latitude (relative error below 1e-5 for segments up to 1 km).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry.base import BaseGeometry

WGS84_A = 6_378_137.0
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)

G = TypeVar("G", bound=BaseGeometry)


def radii_m(
    lat_deg: float | NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Metres per degree (east, north) at a latitude: N·cos φ·π/180 and M·π/180."""
    phi = np.radians(np.asarray(lat_deg, dtype=np.float64))
    w = np.sqrt(1.0 - WGS84_E2 * np.sin(phi) ** 2)
    n = WGS84_A / w
    m = WGS84_A * (1.0 - WGS84_E2) / w**3
    return n * np.cos(phi) * math.pi / 180.0, m * math.pi / 180.0


def polyline_length_m(coords: Iterable[tuple[float, float]]) -> float:
    """Ground length in metres of a (lon, lat) polyline, each segment at its mid-latitude."""
    xy = np.asarray(list(coords), dtype=np.float64).reshape(-1, 2)
    if len(xy) < 2:
        return 0.0
    return float(np.sum(segment_lengths_m(xy[:-1], xy[1:])))


def segment_lengths_m(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ground lengths in metres of straight segments from (n, 2) lon/lat `a` to `b`."""
    a = np.asarray(a, dtype=np.float64).reshape(-1, 2)
    b = np.asarray(b, dtype=np.float64).reshape(-1, 2)
    kx, ky = radii_m((a[:, 1] + b[:, 1]) / 2.0)
    out: NDArray[np.float64] = np.hypot((b[:, 0] - a[:, 0]) * kx, (b[:, 1] - a[:, 1]) * ky)
    return out


@dataclass(frozen=True, slots=True)
class LocalProjection:
    """Equirectangular metres about (lon0, lat0): x east, y north."""

    lon0: float
    lat0: float

    @property
    def scale(self) -> tuple[float, float]:
        kx, ky = radii_m(self.lat0)
        return float(kx), float(ky)

    def xy(self, lonlat: NDArray[np.float64]) -> NDArray[np.float64]:
        """(n, 2) lon/lat degrees to (n, 2) metres."""
        kx, ky = self.scale
        arr = np.asarray(lonlat, dtype=np.float64).reshape(-1, 2)
        return np.column_stack(((arr[:, 0] - self.lon0) * kx, (arr[:, 1] - self.lat0) * ky))

    def lonlat(self, xy: NDArray[np.float64]) -> NDArray[np.float64]:
        """(n, 2) metres to (n, 2) lon/lat degrees."""
        kx, ky = self.scale
        arr = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        return np.column_stack((arr[:, 0] / kx + self.lon0, arr[:, 1] / ky + self.lat0))

    def to_metres(self, geom: G) -> G:
        out: G = shapely.transform(geom, self.xy)
        return out

    def to_lonlat(self, geom: G) -> G:
        out: G = shapely.transform(geom, self.lonlat)
        return out


def projection_about(lonlat: NDArray[np.float64]) -> LocalProjection:
    """A projection centred on the middle of the bounding box of some (n, 2) lon/lat points."""
    arr = np.asarray(lonlat, dtype=np.float64).reshape(-1, 2)
    if len(arr) == 0:
        return LocalProjection(0.0, 0.0)
    lo = arr.min(axis=0)
    hi = arr.max(axis=0)
    return LocalProjection(float((lo[0] + hi[0]) / 2), float((lo[1] + hi[1]) / 2))
