"""OGC API – Features (Part 1 Core + GeoJSON, Part 2 CRS) for GIS tools: QGIS, GDAL OAPIF."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from app.api.deps import EngineDep
from app.domain.ogc import check_crs, parse_bbox, parse_datetime
from app.errors import PROBLEM_RESPONSES
from app.services import features

router = APIRouter(prefix="/ogc", tags=["ogc-features"], responses=PROBLEM_RESPONSES)

OGC_MAX_LIMIT = 1000  # the standard says a larger limit is served as this, not refused
CollectionId = Annotated[str, Path(pattern=r"^[a-z_]{1,30}$", description="facilities or regions")]
FeatureId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$", description="Feature id.")]
Crs = Annotated[str | None, Query(max_length=100, description="CRS URI of the answer.")]


def _json(body: Any, media_type: str = features.JSON, crs: str | None = None) -> Response:
    headers = {"Content-Crs": f"<{crs}>"} if crs else None
    return Response(orjson.dumps(body), media_type=media_type, headers=headers)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("", operation_id="ogc_landing")
async def landing(request: Request) -> Response:
    """Landing page: links to the API definition, conformance and collections."""
    return _json(features.landing(_base(request)))


@router.get("/conformance", operation_id="ogc_conformance")
async def conformance() -> Response:
    """The conformance classes this API implements."""
    return _json(features.conformance())


@router.get("/collections", operation_id="ogc_collections")
async def collections(request: Request, engine: EngineDep) -> Response:
    """Facilities and regions, with their extents and CRSs."""
    return _json(await features.collections(engine, _base(request)))


@router.get("/collections/{collection_id}", operation_id="ogc_collection")
async def collection(request: Request, engine: EngineDep, collection_id: CollectionId) -> Response:
    return _json(await features.collection(engine, _base(request), collection_id))


@router.get("/collections/{collection_id}/items", operation_id="ogc_items")
async def items(
    request: Request,
    engine: EngineDep,
    collection_id: CollectionId,
    bbox: Annotated[str | None, Query(max_length=200, description="minx,miny,maxx,maxy")] = None,
    bbox_crs: Annotated[
        str | None, Query(alias="bbox-crs", max_length=100, description="CRS URI of bbox.")
    ] = None,
    datetime: Annotated[
        str | None,
        Query(max_length=100, description="Instant or interval (facilities' updated_at)."),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, description=f"Features per page (at most {OGC_MAX_LIMIT}).")
    ] = 10,
    offset: Annotated[int, Query(ge=0, le=10**7, description="Features to skip.")] = 0,
    crs: Crs = None,
) -> Response:
    """Features as GeoJSON, filtered by bbox and datetime, paged with `next` links."""
    out_crs = check_crs("crs", crs)
    box = parse_bbox(bbox, check_crs("bbox-crs", bbox_crs))
    query = {k: v for k, v in request.query_params.items() if k != "offset"}
    body = await features.items(
        engine,
        _base(request),
        collection_id,
        bbox=box,
        interval=parse_datetime(datetime),
        limit=min(limit, OGC_MAX_LIMIT),
        offset=offset,
        crs=out_crs,
        query=query,
    )
    return _json(body, features.GEOJSON, out_crs)


@router.get("/collections/{collection_id}/items/{feature_id}", operation_id="ogc_item")
async def item(
    request: Request,
    engine: EngineDep,
    collection_id: CollectionId,
    feature_id: FeatureId,
    crs: Crs = None,
) -> Response:
    out_crs = check_crs("crs", crs)
    body = await features.item(engine, _base(request), collection_id, feature_id, out_crs)
    return _json(body, features.GEOJSON, out_crs)
