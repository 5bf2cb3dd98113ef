"""Every route is either on the public list below or refuses a caller without a token."""

from __future__ import annotations

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings

PUBLIC = {
    ("GET", "/v1/facilities/nearby"),
    ("POST", "/v1/facilities/nearby"),
    ("GET", "/v1/facilities/search"),
    ("GET", "/v1/facilities/{public_id}"),
    ("GET", "/v1/regions"),
    ("GET", "/v1/regions/{code}"),
    ("GET", "/v1/regions/{code}/facilities"),
    ("GET", "/v1/kinds"),
    ("GET", "/v1/services"),
    ("GET", "/v1/ownership-types"),
    ("POST", "/v1/auth/token"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
}


def test_no_route_is_open_by_accident(client: TestClient, settings: Settings) -> None:
    routes = [r for r in create_app(settings).routes if isinstance(r, APIRoute)]
    seen = set()
    for route in routes:
        for method in route.methods:
            seen.add((method, route.path))
            if (method, route.path) in PUBLIC:
                continue
            path = route.path.replace("{public_id}", "f_x").replace("{code}", "512002")
            resp = client.request(method, path)
            assert resp.status_code == 401, (method, route.path, resp.status_code)
    assert seen >= PUBLIC, PUBLIC - seen
    assert seen - PUBLIC, "the guard test should see at least one staff route"
