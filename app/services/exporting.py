"""Export the registry in the import formats, so a file round-trips without loss."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries.exporting import facilities_for_export
from app.domain.import_cells import cells_of
from app.domain.import_files import WRITERS, FileFormat
from app.errors import Forbidden
from app.services.staff import StaffIdentity
from geo.coords import from_wgs84


async def export_facilities(
    engine: AsyncEngine,
    who: StaffIdentity,
    file_format: FileFormat,
    coordsys: str,
    region_code: str | None,
    limit: int,
) -> bytes:
    """The facilities in the staff's scope (a district admin: their region) as a file."""
    if who.region_code is not None and region_code not in (None, who.region_code):
        raise Forbidden(f"region {region_code} is outside your scope")
    async with engine.connect() as conn:
        rows = await facilities_for_export(
            conn, who.city_code, region_code or who.region_code, limit
        )
    cells = []
    for row in rows:
        lon, lat = from_wgs84(row.lon, row.lat, coordsys)
        cell = cells_of(row._mapping)
        cell.update(lon=f"{lon:.7f}", lat=f"{lat:.7f}")
        cells.append(cell)
    return WRITERS[file_format](cells)
