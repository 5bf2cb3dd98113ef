"""Every route is either on the public list below or refuses a caller without a token."""

from __future__ import annotations

from fastapi.testclient import TestClient

PUBLIC = {
    ("GET", "/v1/facilities/nearby"),
    ("POST", "/v1/facilities/nearby"),
    ("GET", "/v1/facilities/search"),
    ("GET", "/v1/facilities/{public_id}"),
    ("GET", "/v1/facilities/{public_id}/reach"),
    ("GET", "/v1/coverage"),
    ("POST", "/v1/coverage"),
    ("GET", "/v1/reach"),
    ("GET", "/v1/analysis/population"),
    ("GET", "/v1/analysis/coverage"),
    ("GET", "/v1/analysis/holes"),
    ("GET", "/v1/analysis/suggestions"),
    ("GET", "/v1/analysis/targets"),
    ("GET", "/v1/regions"),
    ("GET", "/v1/regions/{code}"),
    ("GET", "/v1/regions/{code}/facilities"),
    ("GET", "/v1/kinds"),
    ("GET", "/v1/services"),
    ("GET", "/v1/ownership-types"),
    ("POST", "/v1/eligibility"),
    ("GET", "/v1/facilities/{public_id}/price-check"),
    ("POST", "/v1/facilities/{public_id}/price-for-person"),
    ("GET", "/v1/regions/{code}/puhui-over-cap"),
    ("GET", "/v1/rulesets"),
    ("GET", "/v1/rulesets/{city}"),
    ("GET", "/v1/rulesets/{city}/citations"),
    ("GET", "/v1/rulesets/{city}/versions"),
    ("GET", "/v1/rulesets/{city}/versions/{number}"),
    ("POST", "/v1/auth/token"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
}


def test_no_route_is_open_by_accident(client: TestClient) -> None:
    """Routes are enumerated from the OpenAPI document, which lists every one we serve."""
    spec = client.get("/openapi.json").json()
    seen = set()
    for path, operations in spec["paths"].items():
        for method in operations:
            key = (method.upper(), path)
            seen.add(key)
            if key in PUBLIC:
                continue
            concrete = (
                path.replace("{public_id}", "f_x")
                .replace("{code}", "512002")
                .replace("{city}", "512000")
                .replace("{number}", "1")
            )
            resp = client.request(key[0], concrete)
            assert resp.status_code == 401, (key, resp.status_code)
    assert seen >= PUBLIC, PUBLIC - seen
    assert seen - PUBLIC, "the guard test should see at least one staff route"
