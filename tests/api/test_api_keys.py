"""API keys: issued and revoked by admins, stored as hashes, scoped, rate-limited."""

from __future__ import annotations

import psycopg
from fastapi.testclient import TestClient

from app.domain.roles import Role
from app.settings import Settings
from tests.api.keys import admin_headers, issue_key
from tests.services.staffing import PASSWORD, new_staff

NEARBY = "/v1/facilities/nearby?lon=104.6399&lat=30.1245&limit=1"


def test_a_key_is_shown_once_and_stored_only_as_its_hash(
    client: TestClient, settings: Settings, db_dsn: str
) -> None:
    admin = admin_headers(client, settings)
    issued = issue_key(client, admin, scopes=["read", "analysis"], rate_per_minute=120)
    key = issued["key"]
    assert key.startswith("ylyx_") and issued["key_prefix"] == key[:11]
    assert issued["scopes"] == ["analysis", "read"] and issued["burst"] == 120
    listed = client.get("/v1/admin/api-keys", headers=admin).json()
    assert [k["id"] for k in listed] == [issued["id"]] and "key" not in listed[0]
    with psycopg.connect(db_dsn) as conn:
        rows = conn.execute("SELECT key_sha256, key_prefix FROM api_key").fetchall()
        dumped = str(conn.execute("SELECT * FROM api_key").fetchall())
        audit = conn.execute(
            "SELECT action, object_type, after::text FROM audit_event WHERE object_type = 'api_key'"
        ).fetchall()
    assert len(rows) == 1 and len(rows[0][0]) == 64 and key not in dumped
    assert [(a, t) for a, t, _ in audit] == [("issue", "api_key")] and key not in audit[0][2]
    me = client.get("/v1/keys/me", headers={"X-API-Key": key}).json()
    assert me == {
        "name": "热线工作台",
        "owner": "资阳市12345热线",
        "scopes": ["analysis", "read"],
        "rate_per_minute": 120,
        "burst": 120,
    }


def test_only_city_admins_issue_keys(client: TestClient, settings: Settings) -> None:
    new_staff(settings, "he.auditor", Role.auditor)
    token = client.post(
        "/v1/auth/token", json={"username": "he.auditor", "password": PASSWORD}
    ).json()["access_token"]
    resp = client.post(
        "/v1/admin/api-keys",
        json={"name": "x", "owner": "y", "scopes": ["read"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 403 and resp.headers["content-type"] == "application/problem+json"


def test_unknown_stolen_and_revoked_keys_are_refused(
    client: TestClient, settings: Settings
) -> None:
    admin = admin_headers(client, settings)
    issued = issue_key(client, admin)
    key = {"X-API-Key": issued["key"]}
    assert client.get(NEARBY, headers=key).status_code == 200
    guessed = client.get(NEARBY, headers={"X-API-Key": issued["key"][:-1] + "x"})
    assert guessed.status_code == 401 and guessed.json()["type"].endswith("/unauthorized")
    revoked = client.delete(f"/v1/admin/api-keys/{issued['id']}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    refused = client.get(NEARBY, headers=key)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert client.delete("/v1/admin/api-keys/999", headers=admin).status_code == 404


def test_a_key_needs_the_scope_of_the_route(client: TestClient, settings: Settings) -> None:
    admin = admin_headers(client, settings)
    reader = {"X-API-Key": issue_key(client, admin, scopes=["read"])["key"]}
    analyst = {"X-API-Key": issue_key(client, admin, scopes=["analysis"])["key"]}
    coverage = "/v1/coverage?lon=104.6399&lat=30.1245"
    denied = client.get(coverage, headers=reader)
    assert denied.status_code == 403 and "analysis" in denied.json()["detail"]
    assert client.get(coverage, headers=analyst).status_code == 200
    assert client.get(NEARBY, headers=analyst).status_code == 403


def test_every_answer_carries_rate_limit_headers_and_429_has_retry_after(
    client: TestClient, settings: Settings
) -> None:
    admin = admin_headers(client, settings)
    key = {"X-API-Key": issue_key(client, admin, rate_per_minute=6, burst=2)["key"]}
    first = client.get(NEARBY, headers=key)
    assert first.headers["ratelimit-limit"] == "6"
    assert first.headers["ratelimit-remaining"] == "1"
    assert first.headers["ratelimit-policy"] == "6;w=60;burst=2"
    assert client.get(NEARBY + "&radius_m=900", headers=key).headers["ratelimit-remaining"] == "0"
    over = client.get(NEARBY + "&radius_m=800", headers=key)
    assert over.status_code == 429
    assert over.headers["content-type"] == "application/problem+json"
    assert 1 <= int(over.headers["retry-after"]) <= 10
    assert over.headers["ratelimit-remaining"] == "0"
    assert over.json()["type"].endswith("/too-many-requests")
    anonymous = client.get(NEARBY)
    assert anonymous.status_code == 200 and anonymous.headers["ratelimit-limit"] == "60000"


def test_a_304_is_not_counted_and_still_served_when_the_bucket_is_empty(
    client: TestClient, settings: Settings
) -> None:
    admin = admin_headers(client, settings)
    key = {"X-API-Key": issue_key(client, admin, rate_per_minute=1, burst=2)["key"]}
    full = client.get(NEARBY, headers=key)
    etag = full.headers["etag"]
    again = client.get(NEARBY, headers={**key, "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ratelimit-remaining"] == "1"
    assert client.get(NEARBY + "&radius_m=900", headers=key).status_code == 200
    assert client.get(NEARBY + "&radius_m=800", headers=key).status_code == 429
    still = client.get(NEARBY, headers={**key, "If-None-Match": etag})
    assert still.status_code == 304
    stale = client.get(NEARBY + "&radius_m=700", headers={**key, "If-None-Match": '"nope"'})
    assert stale.status_code == 429 and stale.json()["status"] == 429
