"""Every route is either on the public list below or refuses a caller without a token,
and each staff route declares the permission it needs and refuses roles without it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.domain.roles import GRANTS, Permission, Role
from app.settings import Settings
from tests.api.staff_session import signed_in

PUBLIC = {
    ("GET", "/v1/facilities/nearby"),
    ("POST", "/v1/facilities/nearby"),
    ("GET", "/v1/facilities/search"),
    ("GET", "/v1/facilities/clusters"),
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
    ("GET", "/v1/regions/{code}/services"),
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
    ("POST", "/v1/wx/login"),
    ("GET", "/v1/hsds"),
    ("GET", "/v1/hsds/services"),
    ("GET", "/v1/tiles/facilities/{z}/{x}/{y}.mvt"),
    ("GET", "/ogc"),
    ("GET", "/ogc/conformance"),
    ("GET", "/ogc/collections"),
    ("GET", "/ogc/collections/{collection_id}"),
    ("GET", "/ogc/collections/{collection_id}/items"),
    ("GET", "/ogc/collections/{collection_id}/items/{feature_id}"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
}
ANY_STAFF = {("GET", "/v1/auth/me")}  # signed in, no particular permission
OTHER_CREDENTIALS = {"ApiKey", "ResidentSession"}  # third-party apps, mini-program users


def _concrete(path: str) -> str:
    return (
        path.replace("{public_id}", "f_1ca682286016")
        .replace("{code}", "512002")
        .replace("{city}", "512000")
        .replace("{number}", "1")
        .replace("{key_id}", "1")
        .replace("{report_id}", "1")
        .replace("{webhook_id}", "1")
    )


def test_no_route_is_open_by_accident(client: TestClient, settings: Settings) -> None:
    """Routes are enumerated from the OpenAPI document, which lists every one we serve."""
    spec = client.get("/openapi.json").json()
    tokens = {
        role: signed_in(
            client,
            settings,
            f"guard.{role}",
            role,
            "512002" if role is Role.district_admin else None,
            facilities=("f_1ca682286016",) if role is Role.facility_operator else (),
        )
        for role in Role
    }
    seen = set()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            key = (method.upper(), path)
            seen.add(key)
            if key in PUBLIC:
                assert "security" not in operation, key
                continue
            resp = client.request(key[0], _concrete(path))
            assert resp.status_code == 401, (key, resp.status_code)
            [requirement] = operation["security"]
            if set(requirement) <= OTHER_CREDENTIALS:
                continue  # a key or a resident session, not staff: 401 without one
            scopes = requirement["HTTPBearer"]
            if not scopes:
                assert key in ANY_STAFF, f"{key} declares no permission"
                continue
            [permission] = [Permission(s) for s in scopes]
            for role, headers in tokens.items():
                status = client.request(key[0], _concrete(path), headers=headers).status_code
                if permission in GRANTS[role]:
                    assert status not in (401, 403), (key, role, status)
                else:
                    assert status == 403, (key, role, status)
    assert seen >= PUBLIC, PUBLIC - seen
    assert seen - PUBLIC, "the guard test should see at least one staff route"
