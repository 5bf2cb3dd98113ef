"""Map markers: facilities in a bounding box grouped into grid cells."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Float, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.models import Facility
from app.db.queries.facilities import filter_clauses, filter_values
from app.domain.filters import FacilityFilter

F = Facility.__table__.c


async def clusters(
    conn: AsyncConnection,
    bbox: tuple[float, float, float, float],
    cell_deg: float,
    flt: FacilityFilter,
) -> Sequence[Any]:
    """One row per non-empty cell: count, mean position, and the facility when alone."""
    cell = spatial.grid_cell(F.location, bindparam("cell_deg", cell_deg, type_=Float))
    lon, lat = spatial.lon_of(F.location), spatial.lat_of(F.location)
    stmt = (
        select(
            func.count().label("count"),
            func.avg(lon).label("lon"),
            func.avg(lat).label("lat"),
            func.min(F.public_id).label("first_id"),
            func.min(F.name).label("first_name"),
            func.bool_or(F.puhui).label("any_puhui"),
        )
        .where(spatial.in_envelope(F.location, spatial.bbox_envelope(*bbox)), *filter_clauses(flt))
        .group_by(cell)
        .order_by(func.min(F.public_id))
    )
    return (await conn.execute(stmt, filter_values(flt))).all()
