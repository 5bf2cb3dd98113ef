"""Vector tiles of facilities: decoded with mapbox-vector-tile and checked against the
database (which facilities, where in the tile, which properties)."""

from __future__ import annotations

import math
from typing import Any

import mapbox_vector_tile
import psycopg
from fastapi.testclient import TestClient

MVT = "application/vnd.mapbox-vector-tile"


def tile_of(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Fractional XYZ tile coordinates of a WGS-84 point (Web Mercator)."""
    n = 2**z
    rad = math.radians(lat)
    return (lon + 180) / 360 * n, (1 - math.asinh(math.tan(rad)) / math.pi) / 2 * n


def _decode(body: bytes) -> list[dict[str, Any]]:
    layers = mapbox_vector_tile.decode(body, default_options={"y_coord_down": True})
    assert set(layers) == {"facilities"} and layers["facilities"]["extent"] == 4096
    return list(layers["facilities"]["features"])


def _live(db_dsn: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(db_dsn) as conn:
        return conn.execute(
            "SELECT public_id, ST_X(location::geometry), ST_Y(location::geometry), kinds, puhui, "
            "status, is_sample FROM facility WHERE deleted_at IS NULL AND status <> 'closed'"
        ).fetchall()


def _in_tile(rows: list[tuple[Any, ...]], z: int, x: int, y: int) -> dict[str, tuple[float, float]]:
    """Expected features: tile units of every facility inside the tile or its 64-unit buffer."""
    out = {}
    for public_id, lon, lat, *_ in rows:
        fx, fy = tile_of(lon, lat, z)
        px, py = (fx - x) * 4096, (fy - y) * 4096
        if -64 <= px <= 4160 and -64 <= py <= 4160:
            out[public_id] = (px, py)
    return out


def test_a_street_tile_has_every_facility_where_it_is(client: TestClient, db_dsn: str) -> None:
    z = 15
    fx, fy = tile_of(104.6399, 30.1245, z)
    x, y = int(fx), int(fy)
    rows = _live(db_dsn)
    expected = _in_tile(rows, z, x, y)
    assert len(expected) >= 3
    answer = client.get(f"/v1/tiles/facilities/{z}/{x}/{y}.mvt")
    assert answer.status_code == 200 and answer.headers["content-type"] == MVT
    assert answer.headers["etag"] and answer.headers["cache-control"].startswith("public")
    features = _decode(answer.content)
    got = {f["properties"]["id"]: f for f in features}
    assert set(got) == set(expected)
    by_id = {r[0]: r for r in rows}
    for public_id, (px, py) in expected.items():
        feature = got[public_id]
        assert feature["geometry"]["type"] == "Point"
        gx, gy = feature["geometry"]["coordinates"]
        assert abs(gx - px) <= 1 and abs(gy - py) <= 1, (public_id, (gx, gy), (px, py))
        _, _, _, kinds, puhui, status, sample = by_id[public_id]
        props = feature["properties"]
        assert props["kinds"].split(",") == kinds
        assert (props["puhui"], props["status"], props["sample"]) == (puhui, status, sample)
    again = client.get(
        f"/v1/tiles/facilities/{z}/{x}/{y}.mvt", headers={"If-None-Match": answer.headers["etag"]}
    )
    assert again.status_code == 304


def test_deleted_closed_and_other_kinds_are_left_out(client: TestClient, db_dsn: str) -> None:
    z = 15
    fx, fy = tile_of(104.6399, 30.1245, z)
    url = f"/v1/tiles/facilities/{z}/{int(fx)}/{int(fy)}.mvt"
    ids = [f["properties"]["id"] for f in _decode(client.get(url).content)]
    gone, closed = ids[0], ids[1]
    with psycopg.connect(db_dsn) as conn:
        conn.execute("UPDATE facility SET deleted_at = now() WHERE public_id = %s", (gone,))
        conn.execute("UPDATE facility SET status = 'closed' WHERE public_id = %s", (closed,))
    after = {f["properties"]["id"] for f in _decode(client.get(url).content)}
    assert after == set(ids) - {gone, closed}
    meals = _decode(client.get(url, params={"kind": "meal_point"}).content)
    assert meals and all("meal_point" in f["properties"]["kinds"].split(",") for f in meals)


def test_low_zooms_count_facilities_in_clusters(client: TestClient, db_dsn: str) -> None:
    z = 9
    fx, fy = tile_of(104.6399, 30.1245, z)
    x, y = int(fx), int(fy)
    expected = _in_tile(_live(db_dsn), z, x, y)
    features = _decode(client.get(f"/v1/tiles/facilities/{z}/{x}/{y}.mvt").content)
    assert sum(f["properties"]["count"] for f in features) == len(expected)
    assert len(features) < len(expected)
    singles = [f for f in features if f["properties"]["count"] == 1]
    assert all(f["properties"]["id"] in expected for f in singles)


def test_empty_tiles_and_bad_addresses(client: TestClient) -> None:
    empty = client.get("/v1/tiles/facilities/5/0/0.mvt")
    assert empty.status_code == 204 and empty.content == b""
    for path, name in (
        ("/v1/tiles/facilities/4/0/0.mvt", "z"),
        ("/v1/tiles/facilities/19/0/0.mvt", "z"),
        ("/v1/tiles/facilities/5/32/0.mvt", "x"),
        ("/v1/tiles/facilities/5/0/32.mvt", "y"),
        ("/v1/tiles/facilities/5/0/abc.mvt", "y"),
        ("/v1/tiles/facilities/5/-1/0.mvt", "x"),
        ("/v1/tiles/facilities/12/0/0.mvt?kind=nope", "kind"),
    ):
        answer = client.get(path)
        assert answer.status_code == 400, (path, answer.status_code)
        assert answer.headers["content-type"] == "application/problem+json"
        assert [p["name"] for p in answer.json()["invalid_params"]] == [name], path
