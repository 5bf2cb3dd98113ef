"""Walking-network rows and the facilities a walk could reach."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, Text, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from app.db import spatial
from app.db.models import Facility, MapFeature, WalkEdge, WalkNode
from app.db.queries.facilities import CompiledQuery
from app.domain.filters import DEFAULT_STATUSES

N = WalkNode.__table__.c
E = WalkEdge.__table__.c
F = Facility.__table__.c


async def network_cities(conn: AsyncConnection) -> list[str]:
    rows = await conn.execute(select(N.city_code).distinct().order_by(N.city_code))
    return [r[0] for r in rows]


async def network_nodes(conn: AsyncConnection, city_code: str) -> Sequence[Any]:
    stmt = select(
        N.node_id, spatial.x_of(N.location).label("lon"), spatial.y_of(N.location).label("lat")
    ).where(N.city_code == city_code)
    return (await conn.execute(stmt.order_by(N.node_id))).all()


async def network_edges(conn: AsyncConnection, city_code: str) -> Sequence[Any]:
    stmt = select(
        E.u, E.v, E.length_m, E.steps, E.kind, E.name, spatial.as_wkb(E.geom).label("wkb")
    ).where(E.city_code == city_code)
    return (await conn.execute(stmt.order_by(E.id))).all()


async def map_features(conn: AsyncConnection, city_code: str) -> Sequence[Any]:
    m = MapFeature.__table__.c
    stmt = select(m.kind, m.name, m.source, spatial.as_geojson(m.geom).label("geojson"))
    return (await conn.execute(stmt.where(m.city_code == city_code))).all()


def _within_select() -> Select[Any]:
    origin = spatial.point(bindparam("lon"), bindparam("lat"))
    return (
        select(
            F.public_id,
            F.name,
            F.kinds,
            spatial.lon_of(F.location).label("lon"),
            spatial.lat_of(F.location).label("lat"),
            spatial.distance_m(F.location, origin).label("distance_m"),
        )
        .where(
            spatial.within_m(F.location, origin, bindparam("radius_m")),
            F.deleted_at.is_(None),
            F.status == any_(bindparam("statuses", type_=ARRAY(Text))),
            F.kinds.overlap(bindparam("kinds", type_=ARRAY(Text))),
        )
        .order_by(F.public_id)
    )


_WITHIN: dict[tuple[str, str], CompiledQuery] = {}


async def facilities_within(
    conn: AsyncConnection, lon: float, lat: float, radius_m: float, kinds: Sequence[str]
) -> Sequence[Any]:
    """Live facilities of these kinds within a straight-line radius (a walk is never shorter),
    with their straight-line `distance_m`. Compiled once per dialect (the coverage hot path)."""
    key = (conn.dialect.name, conn.dialect.driver)
    query = _WITHIN.get(key)
    if query is None:
        query = _WITHIN[key] = CompiledQuery.of(_within_select(), conn.dialect)
    values = {
        "lon": lon,
        "lat": lat,
        "radius_m": radius_m,
        "statuses": [str(s) for s in DEFAULT_STATUSES],
        "kinds": list(kinds),
    }
    return (await conn.exec_driver_sql(query.sql, query.arguments(values))).all()


async def facilities_of_kind_in_region(
    conn: AsyncConnection, kind: str, column: str, region_code: str, limit: int
) -> Sequence[Any]:
    """Live facilities of one kind whose `column` (county_code, township_code …) is the region."""
    stmt = select(
        F.public_id,
        spatial.lon_of(F.location).label("lon"),
        spatial.lat_of(F.location).label("lat"),
    ).where(
        getattr(F, column) == region_code,
        F.deleted_at.is_(None),
        F.status
        == any_(bindparam("statuses", [str(s) for s in DEFAULT_STATUSES], type_=ARRAY(Text))),
        F.kinds.overlap(bindparam("kinds", [kind], type_=ARRAY(Text))),
    )
    return (await conn.execute(stmt.order_by(F.public_id).limit(limit))).all()


async def facility_point(conn: AsyncConnection, public_id: str) -> Any | None:
    """A live facility's position, name and city."""
    stmt = select(
        F.public_id,
        F.name,
        F.city_code,
        spatial.lon_of(F.location).label("lon"),
        spatial.lat_of(F.location).label("lat"),
    ).where(F.public_id == public_id, F.deleted_at.is_(None))
    return (await conn.execute(stmt)).first()
