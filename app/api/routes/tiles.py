"""Mapbox vector tiles of facilities (read scope)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.api.deps import ReplicaEngineDep, SettingsDep, kinds_filter
from app.errors import problem_responses
from app.services import tiles

router = APIRouter(prefix="/v1/tiles", tags=["tiles"])

MVT = "application/vnd.mapbox-vector-tile"


class MvtResponse(Response):
    media_type = MVT


TileCoordinate = Annotated[int, Path(ge=0, le=2**tiles.MAX_ZOOM - 1)]


@router.get(
    "/facilities/{z}/{x}/{y}.mvt",
    operation_id="facility_tile",
    response_class=MvtResponse,
    responses={
        200: {
            "description": "A Mapbox vector tile with the layer `facilities`.",
            "content": {MVT: {"schema": {"type": "string", "format": "binary"}}},
        },
        204: {"description": "No facility in this tile."},
        **problem_responses(),
    },
)
async def facility_tile(
    engine: ReplicaEngineDep,
    settings: SettingsDep,
    z: Annotated[
        int,
        Path(ge=tiles.MIN_ZOOM, le=tiles.MAX_ZOOM, description="Zoom level.", examples=[14]),
    ],
    x: Annotated[TileCoordinate, Path(description="Tile column.", examples=[12954])],
    y: Annotated[
        TileCoordinate, Path(description="Tile row (XYZ, from the north).", examples=[6753])
    ],
    kind: Annotated[
        list[str], Query(max_length=40, description="Facility kind codes; repeat for several.")
    ] = [],  # noqa: B006 - FastAPI copies defaults
) -> Response:
    """Facilities of one Web Mercator tile (WGS-84 positions; GCJ-02 base maps need the
    offset applied by the client). Features: `id`, `name`, `kinds` (comma-separated),
    `puhui`, `vacancy` (a fresh report of a free bed or 托位), `status`, `sample`; below
    zoom 12, nearby facilities are one feature with `count`, `puhui_count` and
    `vacancy_count` (`id` and `name` only when `count` is 1)."""
    flt = kinds_filter(settings, kind)
    tile = await tiles.facility_tile(engine, z, x, y, flt)
    if not tile:
        cache = f"public, max-age={settings.cache_max_age_s}"
        return Response(status_code=204, headers={"Cache-Control": cache})
    return MvtResponse(tile)
