"""Map markers for the mini-program's map component: clusters for a bounding box and zoom.

Cells are square in degrees, a quarter of a 256-pixel Web-Mercator tile wide at the
zoom (≈ 64 px), so markers do not overlap; from zoom 17 every facility is its own marker.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import clusters as cq
from app.domain.filters import FacilityFilter
from app.errors import BadRequest
from app.services import render

MAX_ZOOM = 20
SINGLE_MARKER_ZOOM = 17
MAX_CELLS = 4096


def cell_deg(zoom: int) -> float:
    return 360.0 / (2**zoom) / 4 if zoom < SINGLE_MARKER_ZOOM else 1e-7


async def clusters(
    engine: AsyncEngine,
    bbox_wgs84: tuple[float, float, float, float],
    zoom: int,
    flt: FacilityFilter,
    coordsys: str,
) -> dict[str, Any]:
    size = cell_deg(zoom)
    nominal = 360.0 / (2**zoom) / 4  # a marker's width on screen, also for single markers
    min_lon, min_lat, max_lon, max_lat = bbox_wgs84
    cells = ((max_lon - min_lon) / nominal) * ((max_lat - min_lat) / nominal)
    if cells > MAX_CELLS:
        raise BadRequest("bbox", f"too large for zoom {zoom}; zoom in or give a smaller box")
    async with engine.connect() as conn:
        rows = await cq.clusters(conn, bbox_wgs84, size, flt)
    markers = []
    for row in rows:
        marker: dict[str, Any] = {
            "count": row.count,
            "location": render.lon_lat(row.lon, row.lat, coordsys),
        }
        if row.count == 1:
            marker["id"], marker["name"] = row.first_id, row.first_name
        markers.append(marker)
    return {
        "zoom": zoom,
        "coordsys": coordsys,
        "total": sum(m["count"] for m in markers),
        "markers": markers,
    }
