"""Story helpers for staff routes: sign someone in, find facilities to act on."""

from __future__ import annotations

import psycopg
from fastapi.testclient import TestClient

from app.domain.roles import Role
from app.settings import Settings
from tests.services.staffing import PASSWORD, new_staff


def signed_in(
    client: TestClient,
    settings: Settings,
    username: str,
    role: Role,
    region: str | None = None,
    *,
    city: str = "512000",
    facilities: tuple[str, ...] = (),
) -> dict[str, str]:
    """Authorization headers of a new member of staff."""
    new_staff(settings, username, role, region, city=city, facilities=facilities)
    resp = client.post("/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def facility_in(db_dsn: str, county: str, *, kind: str | None = None, offset: int = 0) -> str:
    """The public id of a live facility in a county (by public id order)."""
    with psycopg.connect(db_dsn) as conn:
        row = conn.execute(
            "SELECT public_id FROM facility WHERE county_code = %s AND deleted_at IS NULL"
            " AND (%s::text IS NULL OR %s = ANY(kinds)) ORDER BY public_id OFFSET %s LIMIT 1",
            (county, kind, kind, offset),
        ).fetchone()
    assert row is not None
    return str(row[0])


def audit_actions(db_dsn: str, public_id: str) -> list[tuple[str, str]]:
    with psycopg.connect(db_dsn) as conn:
        rows = conn.execute(
            "SELECT action, actor_role FROM audit_event WHERE object_type = 'facility'"
            " AND object_id = %s ORDER BY id",
            (public_id,),
        ).fetchall()
    return [(r[0], r[1]) for r in rows]
