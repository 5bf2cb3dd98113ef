"""Regions, facility detail and the vocabularies."""

from __future__ import annotations

from fastapi.testclient import TestClient
from shapely.geometry import Point, shape

from geo.coords import to_wgs84


def test_ziyang_has_three_counties_with_census_totals(client: TestClient) -> None:
    counties = client.get("/v1/regions", params={"level": "county", "parent": "512000"}).json()
    by_code = {r["code"]: r for r in counties["items"]}
    assert set(by_code) == {"512002", "512021", "512022"}
    city = client.get("/v1/regions/512000", params={"boundary": "false"}).json()
    assert city["pop_total"] == 2308631  # 资阳市 7th census bulletin
    assert sum(r["pop_total"] for r in by_code.values()) == city["pop_total"]
    assert city["boundary"] is None


def test_townships_carry_urban_rural_and_tile_population(client: TestClient) -> None:
    towns = client.get("/v1/regions", params={"level": "township", "parent": "512002"}).json()
    county = client.get("/v1/regions/512002", params={"boundary": "false"}).json()
    assert sum(t["pop_total"] for t in towns["items"]) == county["pop_total"]
    lianhua = next(t for t in towns["items"] if t["name"] == "莲花街道")
    assert lianhua["urban_rural"] == "urban" and lianhua["unit_type"] == "街道"
    assert {t["urban_rural"] for t in towns["items"] if t["unit_type"] == "镇"} == {"rural"}


def test_boundary_in_gcj02_is_the_wgs84_boundary_shifted(client: TestClient) -> None:
    wgs = client.get("/v1/regions/512002").json()
    gcj = client.get("/v1/regions/512002", params={"coordsys": "gcj02"}).json()
    assert wgs["boundary"]["type"] == "MultiPolygon" and gcj["coordsys"] == "gcj02"
    w_ring = wgs["boundary"]["coordinates"][0][0]
    g_ring = gcj["boundary"]["coordinates"][0][0]
    assert len(w_ring) == len(g_ring)
    back = to_wgs84(g_ring[10][0], g_ring[10][1], "gcj02")
    assert abs(back[0] - w_ring[10][0]) < 2e-6 and abs(back[1] - w_ring[10][1]) < 2e-6
    assert 1600 < wgs["area_km2"] < 1670  # 雁江区 is 1,633 km² officially


def test_facilities_in_a_region_lie_inside_it(client: TestClient) -> None:
    town = client.get("/v1/regions", params={"level": "township", "parent": "512002"}).json()
    lianhua = next(t for t in town["items"] if t["name"] == "莲花街道")
    boundary = shape(client.get(f"/v1/regions/{lianhua['code']}").json()["boundary"])
    page = client.get(f"/v1/regions/{lianhua['code']}/facilities", params={"limit": 5}).json()
    seen = []
    while True:
        seen += page["items"]
        if not page["next_cursor"]:
            break
        page = client.get(
            f"/v1/regions/{lianhua['code']}/facilities",
            params={"limit": 5, "cursor": page["next_cursor"]},
        ).json()
    assert len(seen) == page["total"] > 5
    assert len({i["id"] for i in seen}) == len(seen)
    for item in seen:
        assert item["township_code"] == lianhua["code"]
        assert boundary.buffer(1e-9).covers(Point(item["location"]["lon"], item["location"]["lat"]))


def test_facility_detail_has_prices_in_fen_hours_and_sample_label(client: TestClient) -> None:
    near = client.get(
        "/v1/facilities/nearby",
        params={"lon": 104.6399, "lat": 30.1245, "kind": "meal_point", "radius_m": 20000},
    ).json()
    detail = client.get(f"/v1/facilities/{near['items'][0]['id']}").json()
    assert detail["name"].endswith("（示例）") and detail["is_sample"] is True
    assert "sample" in detail["data_source"]
    assert detail["prices"] and all(isinstance(p["amount_fen"], int) for p in detail["prices"])
    assert {p["unit"] for p in detail["prices"]} <= {"month", "day", "meal", "hour", "once"}
    assert detail["opening_hours"] and detail["county_name"] == "雁江区"
    assert detail["kind_names"][0] == "老年助餐点"


def test_kinds_vocabulary_lists_codes_names_and_citations(client: TestClient) -> None:
    items = client.get("/v1/kinds").json()["items"]
    meal = next(k for k in items if k["code"] == "meal_point")
    assert meal["name_zh"] == "老年助餐点" and meal["cite"]
    assert any(s["code"] == "hourly" for s in client.get("/v1/services").json()["items"])


def test_openapi_has_stable_operation_ids(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ops = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {
        "nearby_facilities",
        "nearby_facilities_post",
        "get_facility",
        "search_facilities",
        "list_regions",
        "get_region",
        "list_region_facilities",
        "list_kinds",
    } <= ops


def test_openapi_documents_every_query_parameter_once(client: TestClient) -> None:
    """Query models are parsed by hand on the hot path; the document must still list them."""
    spec = client.get("/openapi.json").json()
    for path, must in (
        ("/v1/facilities/nearby", {"lon", "lat", "radius_m", "kind", "open_now", "cursor"}),
        ("/v1/facilities/search", {"q", "kind", "puhui", "limit"}),
        ("/v1/regions/{code}/facilities", {"kind", "has_vacancy", "cursor"}),
    ):
        params = spec["paths"][path]["get"]["parameters"]
        names = [p["name"] for p in params if p["in"] == "query"]
        assert len(names) == len(set(names)), path
        assert must <= set(names), (path, must - set(names))
    nearby = {p["name"]: p for p in spec["paths"]["/v1/facilities/nearby"]["get"]["parameters"]}
    assert nearby["lon"]["required"] and not nearby["kind"]["required"]
    assert nearby["kind"]["schema"]["type"] == "array"
    assert nearby["coordsys"]["schema"]["enum"] == ["wgs84", "gcj02", "bd09"]
