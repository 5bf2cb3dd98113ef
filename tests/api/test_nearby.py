"""Nearby search against a brute-force geodesic oracle, pagination and coordinate systems."""

from __future__ import annotations

import random

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy.dialects import postgresql

from app.db.queries.facilities import nearby_select, nearby_values
from app.domain.filters import FacilityFilter
from geo.coords import from_wgs84, to_wgs84
from tests.api.oracle import all_sites, nearest

NEAR = "/v1/facilities/nearby"
YANJIANG_SEAT = (104.639904, 30.124517)  # 雁江区 seat, WGS-84 (shared/data county seats)


def fetch_all(client: TestClient, params: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    items: list[dict] = []  # type: ignore[type-arg]
    cursor = None
    while True:
        page = client.get(NEAR, params={**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            assert len(items) == body["total"]
            return items


def test_nearby_equals_brute_force_geodesic(client: TestClient, db_dsn: str) -> None:
    sites = all_sites(db_dsn)
    rng = random.Random(20261123)
    kinds = ["", "day_care_center", "meal_point", "nursery_class,childcare_center"]
    for i in range(40):
        # Around the urban core and out into the towns of 雁江区/安岳县/乐至县.
        lon = YANJIANG_SEAT[0] + rng.uniform(-0.9, 0.5)
        lat = YANJIANG_SEAT[1] + rng.uniform(-0.25, 0.45)
        radius = rng.choice([800, 3000, 8000])
        kind = kinds[i % len(kinds)]
        expected = nearest(sites, lon, lat, radius, tuple(k for k in kind.split(",") if k))
        params = {"lon": repr(lon), "lat": repr(lat), "radius_m": str(radius), "limit": "7"}
        if kind:
            params["kind"] = kind
        got = fetch_all(client, params)
        assert [g["id"] for g in got] == [pid for pid, _ in expected]
        for g, (_, metres) in zip(got, expected, strict=True):
            assert abs(g["distance_m"] - metres) < 0.5


def test_first_page_reports_the_exact_total(client: TestClient, db_dsn: str) -> None:
    lon, lat = YANJIANG_SEAT
    expected = nearest(all_sites(db_dsn), lon, lat, 3000)
    body = client.get(NEAR, params={"lon": lon, "lat": lat, "limit": 5}).json()
    assert body["radius_m"] == 3000  # the configured default
    assert body["total"] == len(expected) > 5
    assert [i["id"] for i in body["items"]] == [pid for pid, _ in expected[:5]]
    assert body["next_cursor"]


def test_post_body_gives_the_same_answer_as_get(client: TestClient) -> None:
    lon, lat = YANJIANG_SEAT
    got = client.get(NEAR, params={"lon": lon, "lat": lat, "kind": "day_care_center"}).json()
    posted = client.post(NEAR, json={"lon": lon, "lat": lat, "kind": ["day_care_center"]}).json()
    assert posted == got


def test_gcj02_in_gcj02_out(client: TestClient) -> None:
    lon, lat = YANJIANG_SEAT
    glon, glat = from_wgs84(lon, lat, "gcj02")
    wgs = client.get(NEAR, params={"lon": lon, "lat": lat}).json()
    gcj = client.get(NEAR, params={"lon": glon, "lat": glat, "coordsys": "gcj02"}).json()
    assert [i["id"] for i in gcj["items"]] == [i["id"] for i in wgs["items"]]
    for a, b in zip(wgs["items"], gcj["items"], strict=True):
        assert abs(a["distance_m"] - b["distance_m"]) < 0.05
        assert b["location"]["coordsys"] == "gcj02"
        back = to_wgs84(b["location"]["lon"], b["location"]["lat"], "gcj02")
        assert abs(back[0] - a["location"]["lon"]) < 1e-6
        assert abs(back[1] - a["location"]["lat"]) < 1e-6
        # In Sichuan GCJ-02 sits roughly 230 m east and 310 m south of WGS-84.
        assert 0.001 < b["location"]["lon"] - a["location"]["lon"] < 0.004


def test_filters_narrow_the_answer(client: TestClient, db_dsn: str) -> None:
    lon, lat = YANJIANG_SEAT
    base = {"lon": lon, "lat": lat, "radius_m": 20000, "limit": 100}
    with psycopg.connect(db_dsn) as conn:
        puhui_ids = {r[0] for r in conn.execute("SELECT public_id FROM facility WHERE puhui")}
        vacant_ids = {
            r[0]
            for r in conn.execute(
                "SELECT public_id FROM facility WHERE vacant_beds > 0 OR vacant_childcare_places > 0"
            )
        }
    puhui = fetch_all(client, {**base, "puhui": "true"})
    assert puhui and {i["id"] for i in puhui} <= puhui_ids
    vacant = fetch_all(client, {**base, "has_vacancy": "true"})
    assert vacant and {i["id"] for i in vacant} <= vacant_ids
    toddlers = fetch_all(client, {**base, "age_months": 30})
    assert toddlers
    detail = client.get(f"/v1/facilities/{toddlers[0]['id']}").json()
    assert detail["child_min_age_months"] <= 30 <= detail["child_max_age_months"]


def test_open_at_uses_the_weekly_hours(client: TestClient) -> None:
    lon, lat = YANJIANG_SEAT
    base = {"lon": lon, "lat": lat, "radius_m": 20000, "limit": 100}
    sunday_night = fetch_all(client, {**base, "open_at": "2026-11-22T23:30:00+08:00"})
    assert sunday_night
    for item in sunday_night[:10]:
        detail = client.get(f"/v1/facilities/{item['id']}").json()
        sundays = [h for h in detail["opening_hours"] if h["weekday"] == 7]
        assert any(h["opens"] <= "23:30" < h["closes"] for h in sundays)
    monday_noon = fetch_all(client, {**base, "open_at": "2026-11-23T12:00:00+08:00"})
    assert len(monday_noon) > len(sunday_night)


def test_nearby_uses_the_spatial_index(db_dsn: str) -> None:
    """With a national-sized table the radius test is answered from the GiST index."""
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO facility (public_id, name, kinds, location, city_code, data_source, "
            "search_tokens, is_sample) "
            "SELECT 'x' || g, '索引测试（示例）', ARRAY['meal_point'], "
            "ST_SetSRID(ST_MakePoint(100 + (g % 300) * 0.1, 22 + (g / 300) * 0.1), 4326)::geography,"
            " '512000', 'test', ''::tsvector, true FROM generate_series(1, 30000) g"
        )
        conn.execute("ANALYZE facility")
        flt = FacilityFilter(kinds=("meal_point",))
        compiled = nearby_select(flt, paged=False).compile(
            dialect=postgresql.psycopg.dialect(),  # type: ignore[attr-defined]
        )
        values = compiled.construct_params(nearby_values(104.64, 30.12, 3000, flt, 21))
        plan = conn.execute("EXPLAIN (FORMAT JSON) " + compiled.string, values).fetchone()
    text = str(plan)
    assert "facility_location_gix" in text
    assert "Seq Scan" not in text
