"""The only module that writes ST_* SQL: small typed helpers that queries compose.

Units: geography distances are metres on the WGS-84 spheroid; points are
(lon, lat) in SRID 4326. Boundaries are geometry(MultiPolygon, 4326).
"""

from __future__ import annotations

from typing import Any

from geoalchemy2 import Geography, Geometry
from sqlalchemy import ColumnElement, cast, func, literal_column
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.sql.elements import BindParameter

WGS84 = 4326


def point(
    lon: ColumnElement[float] | BindParameter[float] | float,
    lat: ColumnElement[float] | BindParameter[float] | float,
) -> ColumnElement[Any]:
    """A geography point from longitude and latitude (degrees, WGS-84): binds or columns."""
    return cast(func.ST_SetSRID(func.ST_MakePoint(lon, lat), WGS84), Geography(srid=WGS84))


def within_m(location: Any, origin: Any, radius_m: Any) -> ColumnElement[bool]:
    """True when `location` lies within `radius_m` metres of `origin` (uses the GiST index)."""
    return func.ST_DWithin(location, origin, radius_m)


def distance_m(location: Any, origin: Any) -> ColumnElement[float]:
    """Spheroidal distance in metres between two geography values."""
    return func.ST_Distance(location, origin)


def lon_of(location: Any) -> ColumnElement[float]:
    return func.ST_X(cast(location, Geometry(srid=WGS84)))


def lat_of(location: Any) -> ColumnElement[float]:
    return func.ST_Y(cast(location, Geometry(srid=WGS84)))


def covers(boundary: Any, location: Any) -> ColumnElement[bool]:
    """True when the boundary (geometry) covers the point (geography), edges included."""
    return func.ST_Covers(boundary, cast(location, Geometry(srid=WGS84)))


def as_geojson(geom: Any, decimals: int = 6) -> ColumnElement[str]:
    """GeoJSON text of a geometry, with `decimals` digits (6 ≈ 0.1 m)."""
    return func.ST_AsGeoJSON(geom, decimals)


def area_km2(boundary: Any) -> ColumnElement[Any]:
    """Spheroidal area in square kilometres."""
    return func.ST_Area(cast(boundary, Geography)) / literal_column("1e6")


def bbox_envelope(
    min_lon: float, min_lat: float, max_lon: float, max_lat: float
) -> ColumnElement[Any]:
    return func.ST_MakeEnvelope(min_lon, min_lat, max_lon, max_lat, WGS84)


def as_wkb(geom: Any) -> ColumnElement[bytes]:
    """Well-known binary of a geometry, for shapely."""
    return func.ST_AsBinary(geom)


def x_of(point: Any) -> ColumnElement[float]:
    return func.ST_X(point)


def y_of(point: Any) -> ColumnElement[float]:
    return func.ST_Y(point)


def in_envelope(location: Any, envelope: Any) -> ColumnElement[bool]:
    """A geography point inside a lon/lat envelope: `&&` on the GiST index, then exact."""
    overlaps: ColumnElement[bool] = location.op("&&")(cast(envelope, Geography(srid=WGS84)))
    return overlaps & func.ST_Intersects(cast(location, Geometry(srid=WGS84)), envelope)


def intersects(geom: Any, envelope: Any) -> ColumnElement[bool]:
    """A geometry intersecting an envelope (uses the geometry's GiST index)."""
    return func.ST_Intersects(geom, envelope)


def extent_of(geom: Any) -> ColumnElement[Any]:
    """[min lon, min lat, max lon, max lat] of a column's values, as a float array."""
    box = func.ST_Extent(cast(geom, Geometry(srid=WGS84)))
    return array([func.ST_XMin(box), func.ST_YMin(box), func.ST_XMax(box), func.ST_YMax(box)])


def grid_cell(location: Any, size_deg: Any) -> ColumnElement[Any]:
    """The lon/lat grid cell (size_deg degrees square) a geography point falls in."""
    return func.ST_SnapToGrid(cast(location, Geometry(srid=WGS84)), size_deg)


WEB_MERCATOR = 3857
_MERCATOR_HALF = 20037508.342789244  # half the width of the Web Mercator world, metres


def tile_bounds_wgs84(z: Any, x: Any, y: Any, margin: float) -> ColumnElement[Any]:
    """The lon/lat envelope of Web Mercator tile z/x/y, grown by `margin` (a fraction of the
    tile's width) so that symbols near an edge are drawn on both neighbours."""
    world = func.ST_MakeEnvelope(
        -_MERCATOR_HALF, -_MERCATOR_HALF, _MERCATOR_HALF, _MERCATOR_HALF, WEB_MERCATOR
    )
    return func.ST_Transform(func.ST_TileEnvelope(z, x, y, world, margin), WGS84)


def mvt_geom(location: Any, z: Any, x: Any, y: Any, extent: int, buffer: int) -> ColumnElement[Any]:
    """A geography point in the integer coordinates of tile z/x/y (Web Mercator), or NULL
    when it falls outside the tile and its buffer."""
    mercator = func.ST_Transform(cast(location, Geometry(srid=WGS84)), WEB_MERCATOR)
    return func.ST_AsMVTGeom(mercator, func.ST_TileEnvelope(z, x, y), extent, buffer, True)


def snap(geom: Any, size: Any) -> ColumnElement[Any]:
    """A geometry snapped to a grid of `size` units (tile units for MVT geometries)."""
    return func.ST_SnapToGrid(geom, size)


def centroid_of(geom: Any) -> ColumnElement[Any]:
    """Aggregate: the centroid of a group's geometries."""
    return func.ST_Centroid(func.ST_Collect(geom))


def as_mvt(rows: Any, layer: str, extent: int) -> ColumnElement[bytes]:
    """Aggregate: one Mapbox vector tile layer from a subquery's rows (column `geom`)."""
    return func.ST_AsMVT(rows.table_valued(), layer, extent, "geom")
