"""OGC API – Features documents: landing page, conformance, collections, items.

Links are absolute, built from the base URL the request came to. Items are GeoJSON;
coordinates follow the requested CRS's axis order (app.domain.ogc).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import features as fq
from app.domain.ogc import CONFORMANCE, CRS84, LAT_LON_ORDER, SUPPORTED_CRS, BBox, Interval
from app.domain.vocabulary import kinds
from app.errors import NotFound

GEOJSON = "application/geo+json"
JSON = "application/json"
COLLECTIONS = {
    "facilities": (
        "养老与托育设施 Facilities",
        "Elderly care and childcare sites (points); temporal property: updated_at.",
    ),
    "regions": (
        "行政区划 Regions",
        "市, 县/区 and 街道/乡镇 boundaries with 2020 census figures (polygons).",
    ),
}


def _link(href: str, rel: str, type_: str, title: str | None = None) -> dict[str, str]:
    link = {"href": href, "rel": rel, "type": type_}
    if title:
        link["title"] = title
    return link


def landing(base: str) -> dict[str, Any]:
    return {
        "title": "一老一小 service finder",
        "description": "Elderly care and childcare facilities as OGC API – Features.",
        "links": [
            _link(f"{base}/ogc", "self", JSON, "This document"),
            _link(
                f"{base}/openapi.json",
                "service-desc",
                "application/vnd.oai.openapi+json;version=3.0",
            ),
            _link(f"{base}/docs", "service-doc", "text/html"),
            _link(f"{base}/ogc/conformance", "conformance", JSON),
            _link(f"{base}/ogc/collections", "data", JSON),
        ],
    }


def conformance() -> dict[str, Any]:
    return {"conformsTo": list(CONFORMANCE)}


def _collection(base: str, cid: str, extent: tuple[Any, Any, Any]) -> dict[str, Any]:
    title, description = COLLECTIONS[cid]
    box, first, last = extent
    out: dict[str, Any] = {
        "id": cid,
        "title": title,
        "description": description,
        "itemType": "feature",
        "crs": list(SUPPORTED_CRS),
        "storageCrs": CRS84,
        "extent": {
            "spatial": {"bbox": [list(box)] if box and box[0] is not None else [], "crs": CRS84}
        },
        "links": [
            _link(f"{base}/ogc/collections/{cid}", "self", JSON),
            _link(f"{base}/ogc/collections/{cid}/items", "items", GEOJSON),
        ],
    }
    if first is not None:
        out["extent"]["temporal"] = {"interval": [[first.isoformat(), last.isoformat()]]}
    return out


def _known(cid: str) -> None:
    if cid not in COLLECTIONS:
        raise NotFound(f"no collection {cid!r}; collections: {', '.join(COLLECTIONS)}")


async def collections(engine: AsyncEngine, base: str) -> dict[str, Any]:
    async with engine.connect() as conn:
        extents = await fq.extents(conn)
    return {
        "links": [_link(f"{base}/ogc/collections", "self", JSON)],
        "collections": [_collection(base, cid, extents[cid]) for cid in COLLECTIONS],
    }


async def collection(engine: AsyncEngine, base: str, cid: str) -> dict[str, Any]:
    _known(cid)
    async with engine.connect() as conn:
        extents = await fq.extents(conn)
    return _collection(base, cid, extents[cid])


def _axes(coords: Any, crs: str) -> Any:
    """Swap to lat/lon order for CRSs defined that way; coordinates rounded to 7 decimals."""
    if isinstance(coords[0], int | float):
        x, y = round(coords[0], 7), round(coords[1], 7)
        return [y, x] if crs in LAT_LON_ORDER else [x, y]
    return [_axes(c, crs) for c in coords]


def _facility(row: Any, crs: str) -> dict[str, Any]:
    vocab = kinds()
    return {
        "type": "Feature",
        "id": row.public_id,
        "geometry": {"type": "Point", "coordinates": _axes([row.lon, row.lat], crs)},
        "properties": {
            "name": row.name,
            "kinds": row.kinds,
            "kind_names": [vocab[k].name_zh if k in vocab else k for k in row.kinds],
            "address": row.address,
            "phone": row.phone,
            "status": row.status,
            "puhui": row.puhui,
            "beds": row.beds,
            "childcare_places": row.childcare_places,
            "vacant_beds": row.vacant_beds,
            "vacant_childcare_places": row.vacant_childcare_places,
            "township_code": row.township_code,
            "is_sample": row.is_sample,
            "updated_at": row.updated_at.isoformat(),
        },
    }


def _region(row: Any, crs: str) -> dict[str, Any]:
    geometry = json.loads(row.geojson)
    geometry["coordinates"] = _axes(geometry["coordinates"], crs)
    return {
        "type": "Feature",
        "id": row.code,
        "geometry": geometry,
        "properties": {
            "name": row.name,
            "level": row.level,
            "unit_type": row.unit_type,
            "parent_code": row.parent_code,
            "city_code": row.city_code,
            "urban_rural": row.urban_rural,
            "pop_total": row.pop_total,
            "pop_60p": row.pop_60p,
            "pop_0_3": row.pop_0_3,
        },
    }


async def items(
    engine: AsyncEngine,
    base: str,
    cid: str,
    *,
    bbox: BBox | None,
    interval: Interval | None,
    limit: int,
    offset: int,
    crs: str,
    query: dict[str, str],
) -> dict[str, Any]:
    """A page of features; `query` is the caller's own parameters, for the next link."""
    _known(cid)
    box = None if bbox is None else (bbox.min_lon, bbox.min_lat, bbox.max_lon, bbox.max_lat)
    async with engine.connect() as conn:
        if cid == "facilities":
            start, end = (interval.start, interval.end) if interval else (None, None)
            rows, total = await fq.facility_features(conn, box, start, end, limit, offset)
            features = [_facility(r, crs) for r in rows]
        else:
            rows, total = await fq.region_features(conn, box, limit, offset)
            features = [_region(r, crs) for r in rows]
    here = f"{base}/ogc/collections/{cid}/items"
    links = [_link(f"{here}?{urlencode({**query, 'offset': offset})}", "self", GEOJSON)]
    if offset + len(features) < total:
        after = {**query, "limit": limit, "offset": offset + len(features)}
        links.append(_link(f"{here}?{urlencode(after)}", "next", GEOJSON))
    return {
        "type": "FeatureCollection",
        "numberMatched": total,
        "numberReturned": len(features),
        "features": features,
        "links": links,
    }


async def item(engine: AsyncEngine, base: str, cid: str, fid: str, crs: str) -> dict[str, Any]:
    _known(cid)
    async with engine.connect() as conn:
        if cid == "facilities":
            row = await fq.facility_feature(conn, fid)
            feature = None if row is None else _facility(row, crs)
        else:
            row = await fq.region_feature(conn, fid)
            feature = None if row is None else _region(row, crs)
    if feature is None:
        raise NotFound(f"no feature {fid!r} in {cid}")
    feature["links"] = [
        _link(f"{base}/ogc/collections/{cid}/items/{fid}", "self", GEOJSON),
        _link(f"{base}/ogc/collections/{cid}", "collection", JSON),
    ]
    return feature
