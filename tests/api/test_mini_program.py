"""The WeChat mini-program: sign-in through a fake WeChat (at the httpx transport),
favourites, 纠错 reports that reach staff as a queue, and deleting the account."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

from app.domain.roles import Role
from app.main import create_app
from app.services.walking import Walking
from app.settings import Settings
from tests.api.keys import admin_headers, issue_key
from tests.api.staff_session import facility_in, signed_in
from tests.services.staffing import PASSWORD, new_staff

APPSECRET = "appsecret-never-logged-7f3a"
SESSION_KEY = "session-key-never-leaves-9c1d"
OPENID = "oPenId-resident-0001"
ANSWERS = {
    "bad": {"errcode": 40029, "errmsg": "invalid code"},
    "used": {"errcode": 40163, "errmsg": "code been used"},
    "risky": {"errcode": 40226, "errmsg": "high risk user"},
    "busy": {"errcode": -1, "errmsg": "system error"},
    "slow-down": {"errcode": 45011, "errmsg": "api minute-quota reach limit"},
}


def fake_wechat(request: httpx.Request) -> httpx.Response:
    """WeChat's code2Session as documented; any code starting with `ok` signs in OPENID."""
    assert request.url.path == "/sns/jscode2session"
    params = request.url.params
    assert params["appid"] == "wx-test" and params["secret"] == APPSECRET
    assert params["grant_type"] == "authorization_code"
    code = params["js_code"]
    if code == "down":
        raise httpx.ConnectError("no route to WeChat")
    if code == "html":
        return httpx.Response(502, text="<html>bad gateway</html>")
    if code.startswith("ok"):
        return httpx.Response(200, json={"openid": OPENID, "session_key": SESSION_KEY})
    return httpx.Response(200, json=ANSWERS[code])


@pytest.fixture
def mp(settings: Settings, walking_state: Walking) -> Iterator[TestClient]:
    configured = Settings.model_validate(
        {
            **settings.model_dump(),
            "wechat_appid": "wx-test",
            "wechat_secret": APPSECRET,
            "max_body_bytes": 4096,
        }
    )
    app = create_app(configured, walking_state, http_transport=httpx.MockTransport(fake_wechat))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def sign_in(mp: TestClient, code: str = "ok-1") -> dict[str, str]:
    resp = mp.post("/v1/wx/login", json={"code": code})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def test_sign_in_never_keeps_or_shows_session_key_appsecret_or_openid(
    mp: TestClient, db_dsn: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    resp = mp.post("/v1/wx/login", json={"code": "ok-1"})
    assert resp.status_code == 200 and set(resp.json()) == {
        "access_token",
        "token_type",
        "expires_at",
    }
    assert SESSION_KEY not in resp.text and OPENID not in resp.text
    assert sign_in(mp, "ok-2") != {"Authorization": f"Bearer {resp.json()['access_token']}"}
    with psycopg.connect(db_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM resident").fetchone() == (1,)
        dump = " ".join(
            str(conn.execute(f"SELECT * FROM {t}").fetchall())  # noqa: S608
            for t in ("resident", "resident_session", "wechat_login_code", "audit_event")
        )
    for secret in (SESSION_KEY, APPSECRET, OPENID, "ok-1", resp.json()["access_token"]):
        assert secret not in dump
        assert not [r for r in caplog.records if secret in r.getMessage()]


def test_a_replayed_code_is_refused(mp: TestClient) -> None:
    sign_in(mp, "ok-once")
    again = mp.post("/v1/wx/login", json={"code": "ok-once"})
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("bad", 400),
        ("used", 409),
        ("risky", 403),
        ("slow-down", 429),
        ("busy", 503),
        ("down", 503),
        ("html", 503),
    ],
)
def test_wechat_errors_become_meaningful_answers(mp: TestClient, code: str, status: int) -> None:
    resp = mp.post("/v1/wx/login", json={"code": code})
    assert resp.status_code == status
    assert resp.headers["content-type"] == "application/problem+json"
    assert "errmsg" not in resp.text and "bad gateway" not in resp.text
    if status in (429, 503):
        assert int(resp.headers["retry-after"]) > 0


def test_favourites(mp: TestClient) -> None:
    me = sign_in(mp)
    ids = [
        i["id"]
        for i in mp.get("/v1/facilities/search", params={"q": "助餐", "limit": 2}).json()["items"]
    ]
    for public_id in ids:
        assert mp.put(f"/v1/me/favourites/{public_id}", headers=me).status_code == 204
    mp.put(f"/v1/me/favourites/{ids[0]}", headers=me)  # idempotent
    listed = mp.get("/v1/me/favourites", headers=me).json()
    assert sorted(f["id"] for f in listed) == sorted(ids)
    assert mp.delete(f"/v1/me/favourites/{ids[0]}", headers=me).status_code == 204
    assert [f["id"] for f in mp.get("/v1/me/favourites", headers=me).json()] == [ids[1]]
    assert mp.put("/v1/me/favourites/f_nope", headers=me).status_code == 404
    other = sign_in(mp, "ok-other")  # the same WeChat user signs in again: same favourites
    assert [f["id"] for f in mp.get("/v1/me/favourites", headers=other).json()] == [ids[1]]
    assert mp.get("/v1/me/favourites").status_code == 401


def test_reports_reach_staff_as_a_queue_and_deleting_the_account_unlinks_them(
    mp: TestClient, settings: Settings, db_dsn: str
) -> None:
    me = sign_in(mp)
    facility = mp.get("/v1/regions/512002/facilities", params={"limit": 1}).json()["items"][0]
    mp.put(f"/v1/me/favourites/{facility['id']}", headers=me)
    filed = mp.post(
        "/v1/me/reports",
        json={"facility_id": facility["id"], "kind": "closed", "note": "已停业两周"},
        headers=me,
    )
    assert filed.status_code == 201 and filed.json()["status"] == "open"
    new_staff(settings, "qin.ops", Role.district_admin, region="512002")
    token = mp.post("/v1/auth/token", json={"username": "qin.ops", "password": PASSWORD}).json()
    staff = {"Authorization": f"Bearer {token['access_token']}"}
    queue = mp.get("/v1/admin/reports", params={"status": "open"}, headers=staff).json()
    assert [(r["id"], r["kind"], r["facility_id"]) for r in queue] == [
        (filed.json()["id"], "closed", facility["id"])
    ]
    moved = mp.patch(
        f"/v1/admin/reports/{filed.json()['id']}", json={"status": "in_progress"}, headers=staff
    )
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    assert mp.get("/v1/me/reports", headers=me).json()[0]["status"] == "in_progress"

    assert mp.delete("/v1/me", headers=me).status_code == 204
    assert mp.get("/v1/me/reports", headers=me).status_code == 401
    with psycopg.connect(db_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM favourite").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM resident_session").fetchone() == (0,)
        assert conn.execute("SELECT resident_id, status FROM facility_report").fetchall() == [
            (None, "in_progress")
        ]
        audit = conn.execute(
            "SELECT action FROM audit_event WHERE object_type = 'facility_report'"
        ).fetchall()
    assert audit == [("set_status",)]


def test_operators_work_reports_on_their_own_facilities_only(
    mp: TestClient, settings: Settings, db_dsn: str
) -> None:
    me = sign_in(mp, "ok-ops")
    mine, other = facility_in(db_dsn, "512002"), facility_in(db_dsn, "512002", offset=1)
    filed = mp.post(
        "/v1/me/reports", json={"facility_id": mine, "kind": "phone_wrong"}, headers=me
    ).json()
    owner = signed_in(mp, settings, "ops.mine", Role.facility_operator, facilities=(mine,))
    stranger = signed_in(mp, settings, "ops.other", Role.facility_operator, facilities=(other,))
    auditor = signed_in(mp, settings, "audit.r", Role.auditor)
    path = f"/v1/admin/reports/{filed['id']}"

    assert [r["id"] for r in mp.get("/v1/admin/reports", headers=owner).json()] == [filed["id"]]
    assert mp.get("/v1/admin/reports", headers=stranger).json() == []
    assert mp.patch(path, json={"status": "resolved"}, headers=stranger).status_code == 404
    assert [r["id"] for r in mp.get("/v1/admin/reports", headers=auditor).json()] == [filed["id"]]
    assert mp.patch(path, json={"status": "resolved"}, headers=auditor).status_code == 403
    moved = mp.patch(path, json={"status": "resolved"}, headers=owner)
    assert moved.status_code == 200 and moved.json()["status"] == "resolved"


def test_apps_file_reports_with_a_write_key_only(mp: TestClient, settings: Settings) -> None:
    admin = admin_headers(mp, settings)
    reader = {"X-API-Key": issue_key(mp, admin, scopes=["read"])["key"]}
    writer = {"X-API-Key": issue_key(mp, admin, scopes=["read", "write"])["key"]}
    facility = mp.get("/v1/facilities/search", params={"q": "助餐", "limit": 1}).json()["items"][0]
    body = {"facility_id": facility["id"], "kind": "phone_wrong"}
    assert mp.post("/v1/reports", json=body, headers=reader).status_code == 403
    assert mp.post("/v1/reports", json=body, headers=writer).status_code == 201
    assert mp.post("/v1/reports", json=body).status_code == 401


def test_oversized_bodies_are_refused_early(mp: TestClient) -> None:
    big = mp.post(
        "/v1/wx/login",
        content=b'{"code": "' + b"x" * 5000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert big.status_code == 413 and big.headers["content-type"] == "application/problem+json"

    def chunks() -> Iterator[bytes]:
        yield b'{"code": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    streamed = mp.post(
        "/v1/facilities/nearby", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
