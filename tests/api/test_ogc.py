"""OGC API – Features: the documents, bbox/limit/datetime/crs, and GDAL's OAPIF driver."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from app.domain.ogc import CRS84, EPSG4326
from app.main import create_app
from app.services.walking import Walking
from app.settings import Settings
from tests.live import serve

LIANHUA = "104.62,30.11,104.66,30.14"  # around 莲花街道, 雁江区


def live_count(db_dsn: str, where: str = "true", params: tuple[object, ...] = ()) -> int:
    with psycopg.connect(db_dsn) as conn:
        row = conn.execute(
            f"SELECT count(*) FROM facility WHERE deleted_at IS NULL AND {where}",  # noqa: S608
            params,
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_landing_conformance_and_collections(client: TestClient) -> None:
    landing = client.get("/ogc").json()
    rels = {link["rel"]: link["href"] for link in landing["links"]}
    assert rels["conformance"].endswith("/ogc/conformance")
    assert rels["service-desc"].endswith("/openapi.json")
    conforms = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conforms
    collections = client.get("/ogc/collections").json()["collections"]
    assert [c["id"] for c in collections] == ["facilities", "regions"]
    facilities = collections[0]
    assert CRS84 in facilities["crs"] and EPSG4326 in facilities["crs"]
    assert len(facilities["extent"]["spatial"]["bbox"][0]) == 4
    assert "temporal" in facilities["extent"]
    assert client.get("/ogc/collections/nope").status_code == 404


def test_items_with_bbox_limit_paging_and_crs(client: TestClient, db_dsn: str) -> None:
    page = client.get("/ogc/collections/facilities/items", params={"bbox": LIANHUA, "limit": 5})
    assert page.headers["content-type"] == "application/geo+json"
    assert page.headers["content-crs"] == f"<{CRS84}>"
    body = page.json()
    expected = live_count(
        db_dsn,
        "ST_Intersects(location::geometry, ST_MakeEnvelope(104.62, 30.11, 104.66, 30.14, 4326))",
    )
    assert body["numberMatched"] == expected and body["numberReturned"] == 5
    ids = []
    next_href = next(link["href"] for link in body["links"] if link["rel"] == "next")
    while True:
        ids += [f["id"] for f in body["features"]]
        nexts = [link["href"] for link in body["links"] if link["rel"] == "next"]
        if not nexts:
            break
        body = client.get(nexts[0].removeprefix("http://testserver")).json()
    assert len(ids) == len(set(ids)) == expected and "offset=5" in next_href
    first = page.json()["features"][0]
    lon, lat = first["geometry"]["coordinates"]
    swapped = client.get(
        f"/ogc/collections/facilities/items/{first['id']}", params={"crs": EPSG4326}
    )
    assert swapped.json()["geometry"]["coordinates"] == [lat, lon]
    assert swapped.headers["content-crs"] == f"<{EPSG4326}>"
    lat_lon_box = client.get(
        "/ogc/collections/facilities/items",
        params={"bbox": "30.11,104.62,30.14,104.66", "bbox-crs": EPSG4326, "limit": 1},
    ).json()
    assert lat_lon_box["numberMatched"] == expected


def test_datetime_filters_on_updated_at(client: TestClient, db_dsn: str) -> None:
    with psycopg.connect(db_dsn) as conn:
        conn.execute(
            "UPDATE facility SET updated_at = '2030-01-02T00:00:00Z'"
            " WHERE public_id = (SELECT min(public_id) FROM facility)"
        )
    later = client.get(
        "/ogc/collections/facilities/items", params={"datetime": "2030-01-01T00:00:00Z/.."}
    ).json()
    assert later["numberMatched"] == 1
    bad = client.get("/ogc/collections/facilities/items", params={"datetime": "yesterday"})
    assert bad.status_code == 400 and bad.json()["invalid_params"][0]["name"] == "datetime"
    assert (
        client.get("/ogc/collections/facilities/items", params={"crs": "EPSG:3857"}).status_code
        == 400
    )


def test_regions_are_polygons(client: TestClient) -> None:
    region = client.get("/ogc/collections/regions/items/512002").json()
    assert region["geometry"]["type"] == "MultiPolygon"
    assert region["properties"]["name"] == "雁江区"


@pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="GDAL (gdal-bin) is not installed")
def test_gdal_opens_it_with_the_oapif_driver(
    settings: Settings, walking_state: Walking, db_dsn: str, tmp_path: Path
) -> None:
    app = create_app(settings, walking_state=walking_state)
    with serve(app) as base:
        info = subprocess.run(
            ["ogrinfo", "-ro", "-so", f"OAPIF:{base}/ogc", "facilities"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        out = tmp_path / "lianhua.geojson"
        copied = subprocess.run(
            [
                "ogr2ogr",
                "-f",
                "GeoJSON",
                str(out),
                f"OAPIF:{base}/ogc",
                "facilities",
                "-spat",
                *LIANHUA.split(","),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert info.returncode == 0, info.stderr
    assert f"Feature Count: {live_count(db_dsn)}" in info.stdout
    assert "Geometry: Point" in info.stdout
    assert copied.returncode == 0, copied.stderr
    features = json.loads(out.read_text())["features"]
    assert len(features) == live_count(
        db_dsn,
        "ST_Intersects(location::geometry, ST_MakeEnvelope(104.62, 30.11, 104.66, 30.14, 4326))",
    )
    assert all(f["properties"]["is_sample"] for f in features)
