"""Nearby search with walking minutes: `walk_minutes` on each result, or sorted by them."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from app.db.queries import facilities as fq
from app.domain.cursors import decode_cursor, encode_cursor
from app.errors import BadRequest, InvalidCursor
from app.services import render
from app.services.finder import NearbySpec, nearby
from app.services.walking import Walking, walk_seconds_to

UNREACHED = 1e12  # sort key for results beyond the search cutoff or off the network


async def nearby_with_walking(
    engine: AsyncEngine, walking: Walking, secret: str, spec: NearbySpec, max_candidates: int
) -> dict[str, Any]:
    profile = spec.profile or "adult"
    if spec.sort != "walk_minutes":
        answer = await nearby(engine, secret, spec)
        points = [(i["location"]["lon"], i["location"]["lat"]) for i in answer["items"]]
        wgs = [render.to_wgs84_point(lon, lat, spec.coordsys) for lon, lat in points]
        seconds = await walk_seconds_to(engine, walking, spec.lon, spec.lat, profile, wgs)
        for item, s in zip(answer["items"], seconds, strict=True):
            item["walk_minutes"] = None if not math.isfinite(s) else round(s / 60.0, 1)
        answer["profile"] = profile
        return answer
    after: tuple[float, str] | None = None
    if spec.cursor is not None:
        position = decode_cursor(secret, spec.fingerprint(), spec.cursor)
        if len(position) != 2 or not isinstance(position[0], float | int):
            raise InvalidCursor()
        after = (float(position[0]), str(position[1]))
    async with engine.connect() as conn:
        page = await fq.facilities_near(
            conn, spec.lon, spec.lat, spec.radius_m, spec.filter, max_candidates + 1
        )
    if len(page.rows) > max_candidates:
        raise BadRequest(
            "radius_m",
            f"more than {max_candidates} facilities match; narrow the radius or the filters "
            "to sort by walking time",
        )
    rows = list(page.rows)
    seconds = await walk_seconds_to(
        engine, walking, spec.lon, spec.lat, profile, [(r.lon, r.lat) for r in rows]
    )
    keyed = sorted(
        (
            (float(s) if math.isfinite(s) else UNREACHED, r)
            for s, r in zip(seconds, rows, strict=True)
        ),
        key=lambda pair: (pair[0], pair[1].public_id),
    )
    if after is not None:
        keyed = [(k, r) for k, r in keyed if (k, r.public_id) > after]
    shown = keyed[: spec.limit]
    items = []
    for key, row in shown:
        item = render.facility_summary(row, spec.coordsys, spec.filter.freshness)
        item["distance_m"] = round(row.distance_m, 2)
        item["walk_minutes"] = None if key >= UNREACHED else round(key / 60.0, 1)
        items.append(item)
    next_cursor = None
    if len(keyed) > spec.limit:
        key, row = shown[-1]
        next_cursor = encode_cursor(secret, spec.fingerprint(), [key, row.public_id])
    return {
        "origin": render.lon_lat(spec.lon, spec.lat, spec.coordsys),
        "radius_m": spec.radius_m,
        "total": page.total,
        "profile": profile,
        "items": items,
        "next_cursor": next_cursor,
    }
