"""Write walking networks (nodes, edges, context features such as the 沱江) into PostGIS."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from shapely.geometry import LineString, Point

from seed.networks import CityNetwork


def replace_networks(
    cur: psycopg.Cursor[tuple[object, ...]],
    networks: Sequence[CityNetwork],
    *,
    replace_features: bool = True,
) -> dict[str, int]:
    """Replace the networks of these cities in the current transaction; rows written.

    With `replace_features=False` the cities' map features are kept and none are written.
    """
    codes = [n.city_code for n in networks]
    tables = ("walk_edge", "walk_node", "map_feature")
    for table in tables if replace_features else tables[:2]:
        cur.execute(
            psycopg.sql.SQL("DELETE FROM {} WHERE city_code = ANY(%s)").format(
                psycopg.sql.Identifier(table)
            ),
            (codes,),
        )
    cur.execute(
        "CREATE TEMP TABLE seed_edge (city_code text, u bigint, v bigint, length_m float8,"
        " steps boolean, kind text, name text, source text, wkb bytea) ON COMMIT DROP"
    )
    cur.execute(
        "CREATE TEMP TABLE seed_node (city_code text, node_id bigint, wkb bytea) ON COMMIT DROP"
    )
    counts = {"walk_node": 0, "walk_edge": 0, "map_feature": 0}
    with cur.copy("COPY seed_node FROM STDIN") as copy:
        for net in networks:
            for node in net.nodes:
                copy.write_row((net.city_code, node.id, Point(node.lon, node.lat).wkb))
                counts["walk_node"] += 1
    with cur.copy("COPY seed_edge FROM STDIN") as copy:
        for net in networks:
            for e in net.edges:
                line = LineString(e.geometry)
                copy.write_row(
                    (
                        net.city_code,
                        e.u,
                        e.v,
                        e.length_m,
                        e.steps,
                        e.kind,
                        e.name,
                        net.source,
                        line.wkb,
                    )
                )
                counts["walk_edge"] += 1
    cur.execute(
        "INSERT INTO walk_node (city_code, node_id, location)"
        " SELECT city_code, node_id, ST_GeomFromWKB(wkb, 4326) FROM seed_node"
    )
    cur.execute(
        "INSERT INTO walk_edge (city_code, u, v, length_m, steps, kind, name, source, geom)"
        " SELECT city_code, u, v, length_m, steps, kind, name, source, ST_GeomFromWKB(wkb, 4326)"
        " FROM seed_edge"
    )
    for net in networks if replace_features else ():
        for f in net.features:
            cur.execute(
                "INSERT INTO map_feature (city_code, kind, name, source, geom)"
                " VALUES (%s, %s, %s, %s, ST_GeomFromWKB(%s, 4326))",
                (net.city_code, f.kind, f.name, f.source, f.geometry.wkb),
            )
            counts["map_feature"] += 1
    return counts
