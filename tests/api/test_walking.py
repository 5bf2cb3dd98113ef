"""Point coverage, reach areas and their limits, on the sample city's walking network."""

from __future__ import annotations

import math

import psycopg
import pytest
from fastapi.testclient import TestClient
from shapely.geometry import Point, shape

HOME = {"lon": 104.6399, "lat": 30.1245}  # by the 雁江区 seat, in 莲花街道 (urban)


def kinds_by_code(body: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {k["kind"]: k for c in body["circles"] for k in c["kinds"]}


def test_urban_home_is_judged_against_the_15_minute_circle(client: TestClient) -> None:
    body = client.get("/v1/coverage", params=HOME).json()
    assert body["township"]["urban_rural"] == "urban" and body["circle_minutes"] == 15
    assert "资阳十四五养老规划" in body["circle_rule"]
    assert body["snap"]["snapped"] is True and body["snap"]["distance_m"] < 50
    by_kind = kinds_by_code(body)
    assert by_kind["day_care_center"]["covered"] is True
    for kind in by_kind.values():
        minutes = [f["walk_minutes"] for f in kind["facilities"]]
        assert minutes == sorted(minutes) and all(m <= 15 for m in minutes)
        assert kind["covered"] == bool(kind["facilities"])
        if not kind["covered"] and kind["nearest"]:
            assert kind["nearest"]["walk_minutes"] > 15


def test_the_home_lies_inside_the_reach_of_what_covers_it(client: TestClient) -> None:
    """Symmetric network: a facility N minutes from home has home inside its N-minute reach."""
    body = client.get("/v1/coverage", params=HOME).json()
    day_care = kinds_by_code(body)["day_care_center"]["facilities"][0]
    minutes = math.ceil(day_care["walk_seconds"] / 60) + 1
    reach = client.get(
        f"/v1/facilities/{day_care['id']}/reach", params={"minutes": [minutes]}
    ).json()
    area = shape(reach["features"][0]["geometry"])
    assert area.contains(Point(HOME["lon"], HOME["lat"]))
    assert "symmetric" in reach["note"]


def test_slower_profiles_never_arrive_sooner(client: TestClient) -> None:
    adult = kinds_by_code(client.get("/v1/coverage", params=HOME).json())
    for profile in ("older", "pram", "wheelchair"):
        slow = kinds_by_code(client.get("/v1/coverage", params={**HOME, "profile": profile}).json())
        for kind, answer in adult.items():
            fast_times = {f["id"]: f["walk_seconds"] for f in answer["facilities"]}
            for f in slow[kind]["facilities"]:
                assert f["id"] in fast_times and f["walk_seconds"] >= fast_times[f["id"]]


def test_rural_home_uses_the_30_minute_circle(client: TestClient) -> None:
    body = client.get("/v1/coverage", params={"lon": 104.9, "lat": 30.0}).json()
    assert body["township"]["urban_rural"] == "rural" and body["circle_minutes"] == 30
    assert "30" in body["circle_rule"]


def test_a_home_far_from_any_road_is_reported_not_guessed(client: TestClient, db_dsn: str) -> None:
    with psycopg.connect(db_dsn) as conn:
        far = conn.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(boundary) p FROM region"
            " WHERE level = 'township' AND city_code = '512000') s,"
            " LATERAL (SELECT min(ST_Distance(p::geography, geom::geography)) d FROM walk_edge"
            "  WHERE city_code = '512000' AND ST_DWithin(p::geography, geom::geography, 2000)) e"
            " WHERE e.d IS NULL OR e.d > 400 LIMIT 1"
        ).fetchone()
    assert far is not None, "the sample network reaches everywhere; pick another probe"
    body = client.get("/v1/coverage", params={"lon": far[0], "lat": far[1]}).json()
    assert body["snap"]["snapped"] is False and "300" in body["snap"]["reason"]
    assert all(k["covered"] is None for k in kinds_by_code(body).values())


def test_kind_reach_covers_every_facility_of_that_kind(client: TestClient) -> None:
    body = client.get(
        "/v1/reach", params={"kind": "meal_point", "region": "512002", "minutes": 10}
    ).json()
    area = shape(body["features"][0]["geometry"])
    near = client.get(
        "/v1/regions/512002/facilities", params={"kind": "meal_point", "limit": 100}
    ).json()
    assert near["total"] == body["facilities"] - body["facilities_off_network"] > 0
    for item in near["items"]:
        assert area.buffer(0.0005).contains(Point(item["location"]["lon"], item["location"]["lat"]))


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/v1/coverage", {**HOME, "profile": "rocket"}, "profile"),
        ("/v1/coverage", {"lon": 116.4, "lat": 39.9}, "lon"),
        ("/v1/coverage", {"lon": "nan", "lat": 30}, "lon"),
        ("/v1/facilities/f_32c2ee48a63b/reach", {"minutes": 0}, "minutes"),
        ("/v1/facilities/f_32c2ee48a63b/reach", {"minutes": 61}, "minutes"),
        ("/v1/facilities/f_32c2ee48a63b/reach", {"minutes": "nan"}, "minutes"),
        ("/v1/facilities/f_32c2ee48a63b/reach", {"minutes": [1, 2, 3, 4, 5, 6, 7]}, "minutes"),
        ("/v1/reach", {"kind": "teleport", "region": "512002"}, "kind"),
        ("/v1/reach", {"kind": "meal_point", "region": "x"}, "region"),
    ],
)
def test_bad_walking_input_is_a_named_400(
    client: TestClient, path: str, params: dict[str, object], parameter: str
) -> None:
    resp = client.get(path, params=params)
    assert resp.status_code == 400, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    assert parameter in {p["name"] for p in resp.json()["invalid_params"]}


def test_nearby_sorted_by_walking_minutes(client: TestClient) -> None:
    params = {**HOME, "radius_m": 1200, "sort": "walk_minutes", "profile": "older", "limit": 7}
    items: list[dict] = []  # type: ignore[type-arg]
    cursor = None
    while True:
        page = client.get(
            "/v1/facilities/nearby", params={**params, **({"cursor": cursor} if cursor else {})}
        ).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(items) == page["total"] > 10
    by_distance = client.get(
        "/v1/facilities/nearby", params={**HOME, "radius_m": 1200, "limit": 100}
    ).json()
    assert by_distance["total"] == len(by_distance["items"]) == len(items)
    assert {i["id"] for i in items} == {i["id"] for i in by_distance["items"]}
    minutes = [i["walk_minutes"] for i in items]
    reached = [m for m in minutes if m is not None]
    assert reached == sorted(reached) and minutes[: len(reached)] == reached
    for item in items:
        if item["walk_minutes"] is not None:
            # No walk is shorter than the straight line (older profile: 0.92 m/s).
            assert item["walk_minutes"] * 60 >= item["distance_m"] / 0.92 - 6


def test_profile_adds_walk_minutes_to_a_distance_search(client: TestClient) -> None:
    body = client.get("/v1/facilities/nearby", params={**HOME, "profile": "adult"}).json()
    assert body["profile"] == "adult" and body["items"]
    assert all("walk_minutes" in i for i in body["items"])
    plain = client.get("/v1/facilities/nearby", params=HOME).json()
    assert [i["id"] for i in plain["items"]] == [i["id"] for i in body["items"]]


@pytest.mark.parametrize(
    ("path", "params", "cap"),
    [
        ("/v1/facilities/f_32c2ee48a63b/reach", {"minutes": 61}, "≤ 60"),
        ("/v1/facilities/f_32c2ee48a63b/reach", {"minutes": list(range(1, 8))}, "at most 6"),
        ("/v1/reach", {"kind": "meal_point", "region": "512002", "minutes": 90}, "≤ 60"),
    ],
)
def test_minutes_and_contour_caps_are_named_in_the_problem(
    client: TestClient, path: str, params: dict[str, object], cap: str
) -> None:
    resp = client.get(path, params=params)
    assert resp.status_code == 400
    assert resp.headers["content-type"] == "application/problem+json"
    (problem,) = resp.json()["invalid_params"]
    assert problem["name"] == "minutes" and cap in problem["reason"]


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"lon": 200, "lat": 30}, "lon"),
        ({**HOME, "profile": "x" * 40}, "profile"),
        ({**HOME, "coordsys": "mars"}, "coordsys"),
        ({**HOME, "radius_m": 5}, "radius_m"),
    ],
)
def test_bad_coverage_body_is_a_named_400(
    client: TestClient, body: dict[str, object], parameter: str
) -> None:
    resp = client.post("/v1/coverage", json=body)
    assert resp.status_code == 400 and resp.headers["content-type"] == "application/problem+json"
    assert parameter in {p["name"] for p in resp.json()["invalid_params"]}
