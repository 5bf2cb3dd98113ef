"""Story helpers: an admin signed in, and API keys issued through the real routes."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.domain.roles import Role
from app.settings import Settings
from tests.services.staffing import PASSWORD, new_staff


def admin_headers(
    client: TestClient, settings: Settings, username: str = "wu.admin"
) -> dict[str, str]:
    new_staff(settings, username, Role.city_admin)
    resp = client.post("/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def issue_key(client: TestClient, admin: dict[str, str], **body: Any) -> dict[str, Any]:
    body = {"name": "热线工作台", "owner": "资阳市12345热线", "scopes": ["read"], **body}
    resp = client.post("/v1/admin/api-keys", json=body, headers=admin)
    assert resp.status_code == 201, resp.text
    issued: dict[str, Any] = resp.json()
    return issued
