"""Mapbox vector tiles of facilities for web maps, zoom 5 to 18.

Tiles are Web Mercator (EPSG:3857) over the registry's WGS-84 positions. From zoom 12
on every facility is a feature; below it, facilities within the same 128-unit cell of
a 4096-unit tile (about 8 px on a 256 px tile) are one feature with a `count`, so a
whole city stays a light tile. Clusters are per tile: one straddling a tile edge is
split between the neighbours.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries.tiles import facility_tile as read_tile
from app.domain.filters import FacilityFilter
from app.errors import BadRequest

MIN_ZOOM = 5
MAX_ZOOM = 18
CLUSTER_BELOW_ZOOM = 12
CLUSTER_CELL = 128


def check_tile(z: int, x: int, y: int) -> None:
    """Refuse a tile address that does not exist at its zoom."""
    if not MIN_ZOOM <= z <= MAX_ZOOM:
        raise BadRequest("z", f"must be between {MIN_ZOOM} and {MAX_ZOOM}")
    side = 2**z
    for name, value in (("x", x), ("y", y)):
        if not 0 <= value < side:
            raise BadRequest(name, f"must be between 0 and {side - 1} at zoom {z}")


async def facility_tile(engine: AsyncEngine, z: int, x: int, y: int, flt: FacilityFilter) -> bytes:
    """The encoded tile (empty bytes when no facility falls in it)."""
    check_tile(z, x, y)
    cell = CLUSTER_CELL if z < CLUSTER_BELOW_ZOOM else None
    since = flt.freshness.since if flt.freshness is not None else None
    async with engine.connect() as conn:
        return await read_tile(conn, z, x, y, flt, fresh_since=since, cluster_cell=cell)
