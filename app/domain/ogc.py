"""OGC API – Features vocabulary: conformance classes, CRS URIs, bbox and datetime.

Part 1 (Core, GeoJSON, OpenAPI 3.0) and Part 2 (CRS by reference). Data are stored in
WGS-84; CGCS2000 (EPSG:4490, China's official datum) agrees with it to well under a
metre at these scales, so its coordinates are served as they are, in its lat/lon order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.errors import BadRequest

CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
)
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG4490 = "http://www.opengis.net/def/crs/EPSG/0/4490"
SUPPORTED_CRS = (CRS84, EPSG4326, EPSG4490)
LAT_LON_ORDER = frozenset({EPSG4326, EPSG4490})  # axis order of the EPSG definitions


def check_crs(parameter: str, uri: str | None) -> str:
    if uri is None:
        return CRS84
    uri = uri.strip().strip("<>")
    if uri not in SUPPORTED_CRS:
        raise BadRequest(parameter, f"unsupported; one of {', '.join(SUPPORTED_CRS)}")
    return uri


@dataclass(frozen=True, slots=True)
class BBox:
    """Always lon/lat (WGS-84) once parsed."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def parse_bbox(text: str | None, crs: str) -> BBox | None:
    """`minx,miny,maxx,maxy` in `crs` (lat/lon order for EPSG:4326/4490)."""
    if text is None:
        return None
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError as exc:
        raise BadRequest("bbox", "must be four comma-separated numbers") from exc
    if len(values) == 6:
        values = [values[0], values[1], values[3], values[4]]
    if len(values) != 4 or any(v != v or abs(v) == float("inf") for v in values):
        raise BadRequest("bbox", "must be four comma-separated numbers")
    if crs in LAT_LON_ORDER:
        values = [values[1], values[0], values[3], values[2]]
    min_lon, min_lat, max_lon, max_lat = values
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise BadRequest("bbox", "longitudes must be between -180 and 180")
    if not (-90 <= min_lat <= max_lat <= 90):
        raise BadRequest("bbox", "latitudes must be between -90 and 90, lower first")
    if min_lon > max_lon:
        raise BadRequest("bbox", "boxes across the antimeridian are not supported")
    return BBox(min_lon, min_lat, max_lon, max_lat)


@dataclass(frozen=True, slots=True)
class Interval:
    start: datetime | None
    end: datetime | None


def _instant(text: str) -> datetime | None:
    if text in ("", ".."):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRequest("datetime", "must be RFC 3339, e.g. 2026-11-01T00:00:00Z") from exc
    if moment.tzinfo is None:
        raise BadRequest("datetime", "must carry a time zone (Z or +08:00)")
    return moment


def parse_datetime(text: str | None) -> Interval | None:
    """An instant or an interval `start/end` with `..` for open ends."""
    if text is None:
        return None
    if "/" in text:
        start, _, end = text.partition("/")
        interval = Interval(_instant(start), _instant(end))
        if interval.start and interval.end and interval.start > interval.end:
            raise BadRequest("datetime", "the interval ends before it starts")
        return interval
    moment = _instant(text)
    if moment is None:
        raise BadRequest("datetime", "must be RFC 3339, e.g. 2026-11-01T00:00:00Z")
    return Interval(moment, moment)
