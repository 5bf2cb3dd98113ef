"""Every family of bad input gets a 400 (or 404/405) problem+json naming the parameter."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"
NEAR = "/v1/facilities/nearby"
HOME = {"lon": "104.6399", "lat": "30.1245"}


def problem(resp, status: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == PROBLEM
    body = resp.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"] and body["detail"]
    return body


def named(body: dict, parameter: str) -> str:  # type: ignore[type-arg]
    reasons = [p["reason"] for p in body["invalid_params"] if p["name"] == parameter]
    assert reasons, body
    return reasons[0]


@pytest.mark.parametrize(
    ("params", "parameter", "words"),
    [
        ({"lon": "181", "lat": "30"}, "lon", "180"),
        ({"lon": "-180.5", "lat": "30"}, "lon", "180"),
        ({"lon": "104", "lat": "91"}, "lat", "90"),
        ({"lon": "30.12", "lat": "104.64"}, "lat", "90"),  # swapped
        ({"lon": "nan", "lat": "30"}, "lon", "finite"),
        ({"lon": "104", "lat": "Infinity"}, "lat", "finite"),
        ({"lon": "1e400", "lat": "30"}, "lon", "finite"),
        ({"lon": "east", "lat": "30"}, "lon", "number"),
        ({**HOME, "coordsys": "utm"}, "coordsys", "wgs84"),
        ({**HOME, "kind": "hospital"}, "kind", "unknown code"),
        ({**HOME, "kind": "meal_point,spaceship"}, "kind", "spaceship"),
        ({**HOME, "service": "teleport"}, "service", "unknown code"),
        ({**HOME, "status": "demolished"}, "status", "open"),
        ({**HOME, "radius_m": "50001"}, "radius_m", "50000"),
        ({**HOME, "radius_m": "0"}, "radius_m", "1"),
        ({**HOME, "radius_m": "3.5km"}, "radius_m", "integer"),
        ({**HOME, "limit": "101"}, "limit", "100"),
        ({**HOME, "limit": "99999999999999999999999"}, "limit", "100"),
        ({**HOME, "limit": "0"}, "limit", "1"),
        ({**HOME, "cursor": "not-a-cursor"}, "cursor", "cursor"),
        ({**HOME, "cursor": "x" * 600}, "cursor", "512"),
        ({**HOME, "age_years": "300"}, "age_years", "130"),
        ({**HOME, "age_months": "-1"}, "age_months", "0"),
        ({**HOME, "open_at": "yesterday"}, "open_at", "ISO 8601"),
        ({**HOME, "puhui": "maybe"}, "puhui", "bool"),
        ({**HOME, "kind": "meal\x00point"}, "kind", "NUL"),
    ],
)
def test_bad_nearby_query_is_named(
    client: TestClient, params: dict[str, str], parameter: str, words: str
) -> None:
    body = problem(client.get(NEAR, params=params), 400)
    assert words.lower() in named(body, parameter).lower()


def test_missing_coordinates_are_named(client: TestClient) -> None:
    body = problem(client.get(NEAR), 400)
    assert {p["name"] for p in body["invalid_params"]} == {"lon", "lat"}


@pytest.mark.parametrize(
    ("body", "parameter", "words"),
    [
        ({"lon": 104.64, "lat": 30.12, "radius": 500}, "radius", "unknown field"),
        ({"lon": 104.64, "lat": 30.12, "kind": ["bad\x00"]}, "kind", "NUL"),
        ({"lon": 104.64, "lat": 30.12, "coordsys": "mars"}, "coordsys", "wgs84"),
        ({"lon": 104.64, "lat": 30.12, "limit": 10**30}, "limit", "100"),
        ({"lon": 104.64}, "lat", "required"),
        ({"lon": "104.64", "lat": [30]}, "lat", "number"),
    ],
)
def test_bad_nearby_body_is_named(
    client: TestClient, body: dict[str, object], parameter: str, words: str
) -> None:
    problem_body = problem(client.post(NEAR, json=body), 400)
    assert words.lower() in named(problem_body, parameter).lower()


def test_nan_in_json_body_is_refused(client: TestClient) -> None:
    resp = client.post(
        NEAR, content=b'{"lon": NaN, "lat": 30.1}', headers={"content-type": "application/json"}
    )
    assert "finite" in named(problem(resp, 400), "lon").lower()


def test_malformed_json_body_is_refused(client: TestClient) -> None:
    resp = client.post(NEAR, content=b'{"lon": 104', headers={"content-type": "application/json"})
    problem(resp, 400)


def test_cursor_from_another_query_is_refused(client: TestClient) -> None:
    first = client.get(NEAR, params={**HOME, "radius_m": "20000", "limit": "1"}).json()
    assert first["next_cursor"]
    other = {**HOME, "radius_m": "20000", "limit": "1", "kind": "meal_point"}
    body = problem(client.get(NEAR, params={**other, "cursor": first["next_cursor"]}), 400)
    assert "this query" in named(body, "cursor")


def test_unknown_route_and_method_use_the_same_shape(client: TestClient) -> None:
    problem(client.get("/v1/nowhere"), 404)
    body = problem(client.delete("/v1/kinds"), 405)
    assert body["title"] == "Method not allowed"


def test_unknown_facility_and_region(client: TestClient) -> None:
    problem(client.get("/v1/facilities/f_000000000000"), 404)
    problem(client.get("/v1/regions/512099"), 404)
    problem(client.get("/v1/regions/512099/facilities"), 404)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/v1/facilities/bad%20id!", "public_id"),
        ("/v1/regions/abc", "code"),
        ("/v1/regions?level=planet", "level"),
        ("/v1/facilities/search?q=", "q"),
        ("/v1/facilities/search?q=" + "老" * 51, "q"),
        ("/v1/facilities/search?q=%21%21", "q"),
        ("/v1/regions/512002?coordsys=itrf", "coordsys"),
        ("/v1/regions/512002/facilities?cursor=%00", "cursor"),
    ],
)
def test_bad_path_and_query_values(client: TestClient, path: str, parameter: str) -> None:
    named(problem(client.get(path), 400), parameter)
