"""WGS-84 ⇄ GCJ-02 ⇄ BD-09 for points in (lon, lat) degrees.

GCJ-02 is the obfuscated datum that Chinese maps (高德, 腾讯, WeChat) must use; BD-09
is Baidu's further offset of GCJ-02. The forward GCJ-02 transform is the widely
published one (Krasovsky ellipsoid constants); its inverse has no closed form and
is found by fixed-point iteration to 1e-10° (about 0.01 mm). WGS-84 and CGCS2000
agree at the metre level, so CGCS2000 input may be treated as WGS-84.
Outside mainland China (per `geo.china`) GCJ-02 equals WGS-84.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from geo.china import MAINLAND_OUTLINE

CoordSys = Literal["wgs84", "gcj02", "bd09"]
COORDSYS_NAMES: tuple[str, ...] = get_args(CoordSys)

_A = 6378245.0  # Krasovsky 1940 semi-major axis, metres
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0
_ITERATION_TOLERANCE_DEG = 1e-10
_MAX_ITERATIONS = 30

_XS = tuple(x for x, _ in MAINLAND_OUTLINE)
_YS = tuple(y for _, y in MAINLAND_OUTLINE)
_BBOX = (min(_XS), min(_YS), max(_XS), max(_YS))


class CoordinateError(ValueError):
    """A coordinate that is not a finite number in range; `parameter` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def validate_lon_lat(lon: float, lat: float) -> None:
    """Raise CoordinateError unless lon is in [-180, 180] and lat in [-90, 90]."""
    for name, value, limit in (("lon", lon, 180.0), ("lat", lat, 90.0)):
        if not math.isfinite(value):
            raise CoordinateError(name, f"{name} must be a finite number")
        if not -limit <= value <= limit:
            raise CoordinateError(name, f"{name} must be between {-limit:g} and {limit:g}")


def _edge_bands() -> dict[int, tuple[tuple[float, float, float, float], ...]]:
    """The outline's edges by the 1° latitude bands they span, so a test visits a few."""
    bands: dict[int, list[tuple[float, float, float, float]]] = {}
    j = len(_XS) - 1
    for i in range(len(_XS)):
        low, high = sorted((_YS[i], _YS[j]))
        for band in range(math.floor(low), math.floor(high) + 1):
            bands.setdefault(band, []).append((_XS[i], _YS[i], _XS[j], _YS[j]))
        j = i
    return {band: tuple(edges) for band, edges in bands.items()}


_BANDS = _edge_bands()


def in_china(lon: float, lat: float) -> bool:
    """Whether the point lies inside the mainland outline (even-odd ray casting)."""
    if not (_BBOX[0] <= lon <= _BBOX[2] and _BBOX[1] <= lat <= _BBOX[3]):
        return False
    inside = False
    for xi, yi, xj, yj in _BANDS.get(math.floor(lat), ()):
        if (yi > lat) != (yj > lat):
            x_cross = xi + (lat - yi) * (xj - xi) / (yj - yi)
            if lon < x_cross:
                inside = not inside
    return inside


def _delta_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _delta_lon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def _gcj_offset(lon: float, lat: float) -> tuple[float, float]:
    dlat = _delta_lat(lon - 105.0, lat - 35.0)
    dlon = _delta_lon(lon - 105.0, lat - 35.0)
    radlat = math.radians(lat)
    magic = 1.0 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if not in_china(lon, lat):
        return lon, lat
    dlon, dlat = _gcj_offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Inverse of `wgs84_to_gcj02` by fixed-point iteration (residual < 1e-10°).

    The WGS-84 point is the one whose offset lands here if that point is in China;
    otherwise the input itself. Within the offset (≤ ~700 m) of the outline both can
    be true, and the offset point wins.
    """
    if not (_BBOX[0] - 0.1 <= lon <= _BBOX[2] + 0.1 and _BBOX[1] - 0.1 <= lat <= _BBOX[3] + 0.1):
        return lon, lat
    x, y = lon, lat
    for _ in range(_MAX_ITERATIONS):
        dlon, dlat = _gcj_offset(x, y)
        ex, ey = x + dlon - lon, y + dlat - lat
        x, y = x - ex, y - ey
        if abs(ex) < _ITERATION_TOLERANCE_DEG and abs(ey) < _ITERATION_TOLERANCE_DEG:
            break
    return (x, y) if in_china(x, y) else (lon, lat)


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    z = math.hypot(lon, lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Baidu's published inverse (closed form; residual well under 0.5 m)."""
    x, y = lon - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def to_wgs84(lon: float, lat: float, coordsys: str) -> tuple[float, float]:
    """A caller's point in WGS-84; CoordinateError for bad values or an unknown system."""
    validate_lon_lat(lon, lat)
    if coordsys == "wgs84":
        return lon, lat
    if coordsys == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if coordsys == "bd09":
        return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))
    raise CoordinateError("coordsys", f"coordsys must be one of {', '.join(COORDSYS_NAMES)}")


def from_wgs84(lon: float, lat: float, coordsys: str) -> tuple[float, float]:
    """A WGS-84 point in the caller's coordinate system."""
    if coordsys == "wgs84":
        return lon, lat
    if coordsys == "gcj02":
        return wgs84_to_gcj02(lon, lat)
    if coordsys == "bd09":
        return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))
    raise CoordinateError("coordsys", f"coordsys must be one of {', '.join(COORDSYS_NAMES)}")
