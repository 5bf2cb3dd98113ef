"""The 沱江 test: a home 400 m across the river from a facility, with no bridge near, is not
inside its 15-minute circle, and the answer says so in walking minutes.

The pair is found on the synthetic 资阳 network (seed/network_ziyang.py): walking along the
river through the urban 街道 of 雁江区, a home on one bank and a spot on the other, 400 m
apart across the water, both within 60 m of a street, as far from every bridge as the
network allows. The sample's urban streets end about 1 km past the outer bridges, so the
clearance found is ≥ 950 m, not 2 km; tests/geo/walk/test_river.py builds the 2 km case.
"""

from __future__ import annotations

import numpy as np
import psycopg
import pytest
import shapely
from fastapi.testclient import TestClient

from app.services.walking import Walking
from geo.walk import snap

ZIYANG = "512000"
ACROSS_M = 400.0
BRIDGE_CLEAR_M = 950.0


def river_pair(walking: Walking, dsn: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """(home, facility spot) in WGS-84: opposite banks, 400 m apart, farthest from the bridges."""
    net = walking.city(ZIYANG).network
    with psycopg.connect(dsn) as conn:
        river, water = (
            shapely.from_wkb(bytes(r[0]))
            for r in conn.execute(
                "SELECT ST_AsBinary(geom) FROM map_feature WHERE city_code = %s"
                " AND kind IN ('river', 'water') ORDER BY kind",
                (ZIYANG,),
            )
        )
        urban = shapely.union_all(
            [
                shapely.from_wkb(bytes(r[0]))
                for r in conn.execute(
                    "SELECT ST_AsBinary(boundary) FROM region WHERE city_code = %s"
                    " AND level = 'township' AND urban_rural = 'urban'",
                    (ZIYANG,),
                )
            ]
        )
    proj = net.projection
    river_m, water_m, urban_m = (proj.to_metres(g) for g in (river, water, urban))
    bridges = shapely.union_all(
        net.edge_lines[[k for k, kind in enumerate(net.edge_kind) if kind == "bridge"]]
    )
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for line in shapely.get_parts(river_m):
        for along in np.arange(50.0, line.length - 50.0, 25.0):
            p = np.array(line.interpolate(along).coords[0])
            ahead = np.array(line.interpolate(along + 5.0).coords[0])
            tangent = (ahead - p) / np.hypot(*(ahead - p))
            normal = np.array([-tangent[1], tangent[0]])
            home, spot = p + normal * ACROSS_M / 2, p - normal * ACROSS_M / 2
            points = shapely.points([home, spot])
            if shapely.intersects(water_m, points).any() or not urban_m.contains(points[0]):
                continue
            clear = float(shapely.distance(bridges, points).min())
            if clear < BRIDGE_CLEAR_M or (best is not None and clear <= best[0]):
                continue
            snaps = [snap(net, *proj.lonlat(q)[0], max_distance_m=60.0) for q in (home, spot)]
            if all(s is not None and net.edge_kind[s.edge_index] != "bridge" for s in snaps):
                best = (clear, home, spot)
    assert best is not None, "no river crossing far from a bridge in the urban 街道"
    home_ll, spot_ll = proj.lonlat(np.array([best[1], best[2]]))
    return (float(home_ll[0]), float(home_ll[1])), (float(spot_ll[0]), float(spot_ll[1]))


def add_facility(dsn: str, kind: str, lon: float, lat: float) -> str:
    """A sample facility of one kind at (lon, lat), in the township that covers it."""
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "INSERT INTO facility (public_id, name, kinds, location, city_code, county_code,"
            " township_code, data_source, is_sample, search_tokens)"
            " SELECT 'f_river0000001', '河对岸的示例设施（示例）', ARRAY[%(kind)s],"
            " ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, city_code,"
            " parent_code, code, 'test', true, to_tsvector('simple', '河对岸')"
            " FROM region WHERE level = 'township' AND city_code = %(city)s"
            " AND ST_Covers(boundary, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))",
            {"kind": kind, "lon": lon, "lat": lat, "city": ZIYANG},
        )
    return "f_river0000001"


def kinds_by_code(body: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {k["kind"]: k for c in body["circles"] for k in c["kinds"]}


@pytest.mark.parametrize("profile", ["adult", "older"])
def test_a_facility_400_m_across_the_river_does_not_cover_the_home(
    client: TestClient, walking_state: Walking, db_dsn: str, profile: str
) -> None:
    (home_lon, home_lat), (spot_lon, spot_lat) = river_pair(walking_state, db_dsn)
    home = {"lon": home_lon, "lat": home_lat, "profile": profile}
    before = kinds_by_code(client.get("/v1/coverage", params=home).json())
    # A kind with nothing within the search: whatever is found afterwards is ours.
    kind = next(k for k, a in sorted(before.items()) if a["covered"] is False and not a["nearest"])
    facility = add_facility(db_dsn, kind, spot_lon, spot_lat)

    body = client.get("/v1/coverage", params=home).json()
    assert body["circle_minutes"] == 15 and body["township"]["urban_rural"] == "urban"
    answer = kinds_by_code(body)[kind]
    assert answer["covered"] is False and answer["facilities"] == []
    nearest = answer["nearest"]
    assert nearest["id"] == facility
    assert nearest["distance_m"] == pytest.approx(ACROSS_M, abs=1.0)
    # Round by a bridge at least BRIDGE_CLEAR_M away from both ends.
    assert nearest["walk_minutes"] > 2 * BRIDGE_CLEAR_M / body["profile"]["speed_m_s"] / 60
    assert f"{nearest['walk_minutes']:g} walking minutes" in answer["note"]
    assert "15-minute circle" in answer["note"] and "straight line 400 m" in answer["note"]
