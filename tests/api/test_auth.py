"""Staff sign-in, bearer tokens and the append-only audit trail."""

from __future__ import annotations

import psycopg
import pytest
from fastapi.testclient import TestClient

from app.domain.roles import Role
from app.errors import BadRequest
from app.settings import Settings
from tests.services.staffing import PASSWORD, new_staff


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    resp = client.post("/v1/auth/token", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["access_token"])


def test_sign_in_and_who_am_i(client: TestClient, settings: Settings, db_dsn: str) -> None:
    new_staff(settings, "wang.admin", Role.city_admin)
    token = sign_in(client, "wang.admin")
    me = client.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["username"] == "wang.admin" and me["role"] == "city_admin"
    with psycopg.connect(db_dsn) as conn:
        stored = conn.execute("SELECT password_hash FROM staff_account").fetchone()
        tokens = conn.execute("SELECT token_sha256 FROM staff_token").fetchall()
        actions = [r[0] for r in conn.execute("SELECT action FROM audit_event ORDER BY id")]
    assert stored is not None and stored[0].startswith("scrypt$") and PASSWORD not in stored[0]
    assert [t[0] for t in tokens] != [token] and len(tokens[0][0]) == 64
    assert actions == ["create", "sign_in"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer nope"},
    ],
)
def test_missing_or_bad_tokens_are_401_problems(
    client: TestClient, headers: dict[str, str]
) -> None:
    resp = client.get("/v1/auth/me", headers=headers)
    assert resp.status_code == 401
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.headers["www-authenticate"].startswith("Bearer")


def test_wrong_password_and_unknown_user_look_the_same(
    client: TestClient, settings: Settings
) -> None:
    new_staff(settings, "li.auditor", Role.auditor)
    wrong = client.post("/v1/auth/token", json={"username": "li.auditor", "password": "x" * 12})
    unknown = client.post("/v1/auth/token", json={"username": "nobody", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_expired_token_is_refused(client: TestClient, settings: Settings, db_dsn: str) -> None:
    new_staff(settings, "zhao.ops", Role.facility_operator)
    token = sign_in(client, "zhao.ops")
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute("UPDATE staff_token SET expires_at = now() - interval '1 second'")
    assert (
        client.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )


def test_the_database_refuses_to_alter_or_delete_audit_events(
    client: TestClient, settings: Settings, db_dsn: str
) -> None:
    new_staff(settings, "sun.admin", Role.city_admin)
    for sql in (
        "UPDATE audit_event SET action = 'nothing'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
    ):
        with psycopg.connect(db_dsn) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(sql)
    with psycopg.connect(db_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM audit_event").fetchone() == (1,)


def test_short_passwords_are_refused(settings: Settings) -> None:
    with pytest.raises(BadRequest) as err:
        new_staff(settings, "qian.short", Role.auditor, password="short")
    assert err.value.params[0].name == "password"
