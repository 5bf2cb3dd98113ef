"""Facilities as a Mapbox vector tile (layer `facilities`), one feature each or in clusters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, bindparam, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.models import Facility
from app.db.queries.facilities import filter_clauses, filter_values
from app.domain.filters import FacilityFilter

F = Facility.__table__.c

LAYER = "facilities"
EXTENT = 4096  # tile units per side
BUFFER = 64  # tile units kept beyond each edge


async def facility_tile(
    conn: AsyncConnection,
    z: int,
    x: int,
    y: int,
    flt: FacilityFilter,
    *,
    fresh_since: datetime | None,
    cluster_cell: int | None,
) -> bytes:
    """Tile z/x/y of live facilities (the filter's statuses; never soft-deleted ones).

    With `cluster_cell`, facilities whose tile positions share a grid cell of that many
    tile units become one feature with a `count`; otherwise each is its own feature.
    A vacancy counts only when reported at or after `fresh_since`.
    """
    zxy = (
        bindparam("tile_z", z, type_=Integer),
        bindparam("tile_x", x, type_=Integer),
        bindparam("tile_y", y, type_=Integer),
    )
    geom = spatial.mvt_geom(F.location, *zxy, EXTENT, BUFFER)
    vacant = or_(F.vacant_beds > 0, F.vacant_childcare_places > 0)
    if fresh_since is not None:
        since = bindparam("tile_fresh_since", fresh_since, type_=DateTime(timezone=True))
        vacant = vacant & (F.vacancy_reported_at >= since)
    where = [
        spatial.in_envelope(F.location, spatial.tile_bounds_wgs84(*zxy, BUFFER / EXTENT)),
        *filter_clauses(flt),
    ]
    points = (
        select(
            F.public_id.label("id"),
            F.name,
            func.array_to_string(F.kinds, ",").label("kinds"),
            F.puhui,
            func.coalesce(vacant, false()).label("vacancy"),
            F.status,
            F.is_sample.label("sample"),
            geom.label("geom"),
        )
        .where(*where)
        .subquery("points")
    )
    if cluster_cell is None:
        rows = select(points).where(points.c.geom.is_not(None)).subquery("tile")
    else:
        cell = spatial.snap(points.c.geom, cluster_cell)
        alone = func.count() == 1
        rows = (
            select(
                func.count().label("count"),
                case((alone, func.min(points.c.id))).label("id"),
                case((alone, func.min(points.c.name))).label("name"),
                func.count().filter(points.c.puhui).label("puhui_count"),
                func.count().filter(points.c.vacancy).label("vacancy_count"),
                spatial.centroid_of(points.c.geom).label("geom"),
            )
            .where(points.c.geom.is_not(None))
            .group_by(cell)
            .subquery("tile")
        )
    stmt = select(spatial.as_mvt(rows, LAYER, EXTENT)).select_from(rows)
    tile = (await conn.execute(stmt, filter_values(flt))).scalar_one()
    return bytes(tile or b"")
