"""The service run as README advises — a login role granted only `yilao_app` — can do its
writes (staff, facilities and the changes feed's trigger, prices, keys), and the role
may use every table but change or remove no audit event."""

from __future__ import annotations

import os

import psycopg
import pytest
from fastapi.testclient import TestClient

from app.domain.roles import Role
from app.settings import Settings
from tests.api.keys import issue_key
from tests.api.staff_session import signed_in

SERVICE_ROLE = "ylyx_service"
ALL = ["DELETE", "INSERT", "SELECT", "UPDATE"]


@pytest.fixture
def settings(db_name: str) -> Settings:
    """This test's database, reached as a login role that is only granted yilao_app."""
    host, port = os.environ["TEST_PG_HOST"], os.environ["TEST_PG_PORT"]
    with psycopg.connect(f"postgresql://postgres@{host}:{port}/postgres", autocommit=True) as c:
        c.execute(
            f"""DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SERVICE_ROLE}') THEN
                    CREATE ROLE {SERVICE_ROLE} LOGIN IN ROLE yilao_app;
                END IF;
            END $$"""
        )
    return Settings(
        database_url=f"postgresql+asyncpg://{SERVICE_ROLE}@{host}:{port}/{db_name}",
        cursor_secret="test-secret",
        vacancy_max_age_days=36500,
        webhook_worker_enabled=False,
    )


def test_the_app_role_may_use_every_table_and_only_append_audit_events(db_dsn: str) -> None:
    with psycopg.connect(db_dsn) as conn:
        rows = conn.execute(
            """
            SELECT c.relname,
                   array(SELECT p FROM unnest(ARRAY['DELETE','INSERT','SELECT','UPDATE']) p
                         WHERE has_table_privilege('yilao_app', c.oid, p) ORDER BY p)
            FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
            """
        ).fetchall()
    granted = dict(rows)
    assert granted.pop("audit_event") == ["INSERT", "SELECT"]
    assert {"facility_change", "change_counter", "favourite", "webhook"} <= set(granted)
    assert {t: p for t, p in granted.items() if p != ALL} == {}


def test_the_service_writes_as_the_app_role(client: TestClient, settings: Settings) -> None:
    admin = signed_in(client, settings, "role.admin", Role.city_admin)
    body = {
        "name": "莲花街道角色测试助餐点（示例）",
        "kinds": ["meal_point"],
        "location": {"lon": 104.64231, "lat": 30.12170},
    }
    made = client.post("/v1/registry/facilities", json=body, headers=admin)
    assert made.status_code == 201, made.text
    url = f"/v1/registry/facilities/{made.json()['id']}"
    prices = [{"item": "午餐", "amount_fen": 1200, "unit": "meal", "puhui": True}]
    resp = client.put(
        url + "/prices",
        json={"prices": prices},
        headers={**admin, "If-Match": made.headers["etag"]},
    )
    assert resp.status_code == 200, resp.text
    key = {"X-API-Key": issue_key(client, admin)["key"]}
    seen, page = set(), {"next_since": 0, "more": True}
    while page["more"]:
        params = {"since": page["next_since"], "limit": 100}
        resp = client.get("/v1/changes", params=params, headers=key)
        assert resp.status_code == 200, resp.text
        page = resp.json()
        seen |= {c["id"] for c in page["changes"]}
    assert made.json()["id"] in seen
    trail = client.get(url + "/audit", headers=admin).json()["events"]
    assert [e["action"] for e in trail] == ["create", "replace_prices"]
