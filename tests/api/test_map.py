"""Map support: clusters for a bounding box and zoom, and compact payloads (`fields=`)."""

from __future__ import annotations

import psycopg
from fastapi.testclient import TestClient

from geo.coords import from_wgs84

YANJIANG_WGS = (104.55, 30.05, 104.75, 30.20)
LIANHUA_WGS = (104.63, 30.115, 104.66, 30.135)  # what a phone shows at zoom 17, and more


def in_box(db_dsn: str, box: tuple[float, float, float, float], kind: str | None = None) -> int:
    with psycopg.connect(db_dsn) as conn:
        row = conn.execute(
            "SELECT count(*) FROM facility WHERE deleted_at IS NULL AND status <> 'closed'"
            " AND ST_Intersects(location::geometry, ST_MakeEnvelope(%s, %s, %s, %s, 4326))"
            " AND (%s::text IS NULL OR %s = ANY(kinds))",
            [*box, kind, kind],
        ).fetchone()
    assert row is not None
    return int(row[0])


def gcj_box(box: tuple[float, float, float, float]) -> str:
    lon0, lat0 = from_wgs84(box[0], box[1], "gcj02")
    lon1, lat1 = from_wgs84(box[2], box[3], "gcj02")
    return f"{lon0},{lat0},{lon1},{lat1}"


def test_clusters_count_every_facility_once_and_split_as_the_map_zooms_in(
    client: TestClient, db_dsn: str
) -> None:
    expected = in_box(db_dsn, YANJIANG_WGS)
    wide = client.get("/v1/facilities/clusters", params={"bbox": gcj_box(YANJIANG_WGS), "zoom": 11})
    assert wide.status_code == 200, wide.text
    body = wide.json()
    assert body["coordsys"] == "gcj02" and body["total"] == expected
    close = client.get(
        "/v1/facilities/clusters", params={"bbox": gcj_box(YANJIANG_WGS), "zoom": 14}
    ).json()
    assert close["total"] == expected and len(close["markers"]) > len(body["markers"])
    single = client.get(
        "/v1/facilities/clusters",
        params={"bbox": gcj_box(LIANHUA_WGS), "zoom": 17, "coordsys": "gcj02"},
    ).json()
    assert len(single["markers"]) == in_box(db_dsn, LIANHUA_WGS) > 0
    assert all(m["count"] == 1 and m["id"].startswith("f_") for m in single["markers"])


def test_clusters_take_filters_and_refuse_a_box_too_big_for_the_zoom(
    client: TestClient, db_dsn: str
) -> None:
    meals = client.get(
        "/v1/facilities/clusters",
        params={"bbox": gcj_box(YANJIANG_WGS), "zoom": 12, "kind": "meal_point"},
    ).json()
    assert meals["total"] == in_box(db_dsn, YANJIANG_WGS, "meal_point")
    huge = client.get("/v1/facilities/clusters", params={"bbox": "73,18,135,53", "zoom": 15})
    assert huge.status_code == 400 and huge.json()["invalid_params"][0]["name"] == "bbox"


def test_fields_give_compact_items(client: TestClient) -> None:
    near = client.get(
        "/v1/facilities/nearby",
        params={"lon": 104.6399, "lat": 30.1245, "limit": 3, "fields": "name,phone,distance_m"},
    ).json()
    assert [set(i) for i in near["items"]] == [{"id", "name", "phone", "distance_m"}] * 3
    posted = client.post(
        "/v1/facilities/nearby",
        json={"lon": 104.6399, "lat": 30.1245, "limit": 1, "fields": "location"},
    ).json()
    assert set(posted["items"][0]) == {"id", "location"}
    found = client.get("/v1/facilities/search", params={"q": "助餐", "fields": "name"}).json()
    assert all(set(i) == {"id", "name"} for i in found["items"])
    bad = client.get(
        "/v1/facilities/nearby", params={"lon": 104.6399, "lat": 30.1245, "fields": "secret"}
    )
    assert bad.status_code == 400 and bad.json()["invalid_params"][0]["name"] == "fields"
