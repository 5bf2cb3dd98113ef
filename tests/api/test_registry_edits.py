"""Staff edits: ETag and If-Match, audit in the same transaction, soft delete and restore,
vacancy and price history."""

from __future__ import annotations

import psycopg
import pytest
from fastapi.testclient import TestClient

from app.domain.roles import Role
from app.settings import Settings
from tests.api.staff_session import audit_actions, signed_in

HOME = "f_1ca682286016"  # 莲花街道暖阳养老院（示例）, 雁江区, 190 beds
URL = f"/v1/registry/facilities/{HOME}"


@pytest.fixture
def admin(client: TestClient, settings: Settings) -> dict[str, str]:
    return signed_in(client, settings, "wang.city", Role.city_admin)


def test_writes_need_the_current_etag(
    client: TestClient, admin: dict[str, str], db_dsn: str
) -> None:
    read = client.get(URL, headers=admin)
    assert read.status_code == 200 and read.headers["cache-control"] == "private, no-store"
    etag = read.headers["etag"]
    assert etag == f'"{HOME}.v1"'
    missing = client.patch(URL, json={"phone": "028-1234"}, headers=admin)
    assert (
        missing.status_code == 428 and missing.headers["content-type"] == "application/problem+json"
    )
    stale = client.patch(URL, json={"phone": "028-1234"}, headers={**admin, "If-Match": '"x.v0"'})
    assert stale.status_code == 412
    done = client.patch(URL, json={"phone": "028-1234"}, headers={**admin, "If-Match": etag})
    assert done.status_code == 200 and done.headers["etag"] == f'"{HOME}.v2"'
    assert done.json()["phone"] == "028-1234"
    assert audit_actions(db_dsn, HOME) == [("update", "city_admin")]


def test_two_editors_never_overwrite_each_other(
    client: TestClient, settings: Settings, admin: dict[str, str]
) -> None:
    ops = signed_in(client, settings, "li.ops", Role.facility_operator, facilities=(HOME,))
    etag = client.get(URL, headers=admin).headers["etag"]
    first = client.patch(URL, json={"phone": "111"}, headers={**ops, "If-Match": etag})
    second = client.patch(URL, json={"phone": "222"}, headers={**admin, "If-Match": etag})
    assert (first.status_code, second.status_code) == (200, 412)
    assert client.get(URL, headers=admin).json()["phone"] == "111"


def test_audit_event_holds_who_what_before_and_after(
    client: TestClient, admin: dict[str, str], db_dsn: str
) -> None:
    etag = client.get(URL, headers=admin).headers["etag"]
    client.patch(
        URL, json={"name": "莲花街道暖阳颐养院（示例）"}, headers={**admin, "If-Match": etag}
    )
    with psycopg.connect(db_dsn) as conn:
        row = conn.execute(
            "SELECT a.actor_id, s.username, a.actor_role, a.at IS NOT NULL, a.before->>'name',"
            " a.after->>'name' FROM audit_event a JOIN staff_account s ON s.id = a.actor_id"
            " WHERE a.object_id = %s",
            (HOME,),
        ).fetchone()
    assert row is not None
    assert row[1:] == (
        "wang.city",
        "city_admin",
        True,
        "莲花街道暖阳养老院（示例）",
        "莲花街道暖阳颐养院（示例）",
    )
    found = client.get("/v1/facilities/search", params={"q": "颐养"}).json()["items"]
    assert [i["id"] for i in found] == [HOME]


def test_a_refused_write_leaves_no_change_and_no_audit_event(
    client: TestClient, admin: dict[str, str], db_dsn: str
) -> None:
    etag = client.get(URL, headers=admin).headers["etag"]
    resp = client.patch(
        URL, json={"nursing_beds": 500, "kinds": ["castle"]}, headers={**admin, "If-Match": etag}
    )
    assert resp.status_code == 400
    names = {p["name"] for p in resp.json()["invalid_params"]}
    assert names == {"nursing_beds", "kinds"}
    assert "护理型床位不能多于总床位" in resp.text
    assert audit_actions(db_dsn, HOME) == []
    assert client.get(URL, headers=admin).headers["etag"] == etag


def test_soft_delete_hides_everywhere_and_restore_brings_back(
    client: TestClient, admin: dict[str, str], db_dsn: str
) -> None:
    near = {"lon": 104.6399, "lat": 30.1245, "radius_m": 5000, "limit": 100}

    def public_ids() -> set[str]:
        return {i["id"] for i in client.get("/v1/facilities/nearby", params=near).json()["items"]}

    assert HOME in public_ids()
    etag = client.get(URL, headers=admin).headers["etag"]
    deleted = client.delete(URL, headers={**admin, "If-Match": etag})
    assert deleted.status_code == 200 and deleted.json()["deleted_at"]
    assert client.get(f"/v1/facilities/{HOME}").status_code == 404
    assert client.get(f"/v1/facilities/{HOME}/reach", params={"minutes": 5}).status_code == 404
    assert HOME not in public_ids()
    found = client.get("/v1/facilities/search", params={"q": "莲花街道暖阳养老院"}).json()
    assert found["items"] == []
    again = client.delete(URL, headers={**admin, "If-Match": deleted.headers["etag"]})
    assert again.status_code == 409
    restored = client.post(URL + "/restore", headers={**admin, "If-Match": deleted.headers["etag"]})
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None
    assert HOME in public_ids()
    assert [a for a, _ in audit_actions(db_dsn, HOME)] == ["delete", "restore"]


def test_vacancy_and_prices_keep_their_history(
    client: TestClient, settings: Settings, admin: dict[str, str]
) -> None:
    ops = signed_in(client, settings, "zhou.ops", Role.facility_operator, facilities=(HOME,))
    etag = client.get(URL, headers=ops).headers["etag"]
    for beds in (12, 7):
        resp = client.put(
            URL + "/vacancy", json={"vacant_beds": beds}, headers={**ops, "If-Match": etag}
        )
        assert resp.status_code == 200, resp.text
        etag = resp.headers["etag"]
    too_many = client.put(
        URL + "/vacancy", json={"vacant_beds": 191}, headers={**ops, "If-Match": etag}
    )
    assert too_many.status_code == 400 and "空床位不能多于床位数 190" in too_many.text
    prices = [{"item": "床位费", "amount_fen": 150000, "unit": "month", "puhui": True}]
    resp = client.put(URL + "/prices", json={"prices": prices}, headers={**ops, "If-Match": etag})
    assert resp.status_code == 200
    hours = [{"weekday": d, "opens": "08:00", "closes": "24:00"} for d in range(1, 8)]
    resp = client.put(
        URL + "/hours", json={"hours": hours}, headers={**ops, "If-Match": resp.headers["etag"]}
    )
    assert resp.status_code == 200 and resp.json()["opening_hours"][0]["closes"] == "24:00"
    public = client.get(f"/v1/facilities/{HOME}").json()
    assert public["vacancy"]["beds"] == 7 and public["prices"] == prices
    history = client.get(URL + "/history", headers=ops).json()
    assert [v["beds"] for v in history["vacancy"]] == [7, 12]
    assert [p["prices"] for p in history["prices"]] == [prices]
    trail = client.get(URL + "/audit", headers=admin).json()["events"]
    assert [e["action"] for e in trail] == [
        "report_vacancy",
        "report_vacancy",
        "replace_prices",
        "replace_hours",
    ]
    assert (
        trail[2]["before"]["prices"][0]["item"] == "床位费"
        and trail[2]["after"]["prices"] == prices
    )


def test_operators_change_only_operational_fields(client: TestClient, settings: Settings) -> None:
    ops = signed_in(client, settings, "qian.ops", Role.facility_operator, facilities=(HOME,))
    etag = client.get(URL, headers=ops).headers["etag"]
    renamed = client.patch(URL, json={"name": "x"}, headers={**ops, "If-Match": etag})
    photos = client.patch(
        URL,
        json={"photo_urls": ["https://img.example.cn/a.jpg"]},
        headers={**ops, "If-Match": etag},
    )
    assert (renamed.status_code, photos.status_code) == (403, 200)


def test_create_places_the_facility_from_a_gcj02_point(
    client: TestClient, admin: dict[str, str], db_dsn: str
) -> None:
    body = {
        "name": "莲花街道新开长者食堂（示例）",
        "kinds": ["meal_point"],
        "address": "雁江区莲花街道示例路1号",
        "location": {"lon": 104.64231, "lat": 30.12170},
    }
    resp = client.post("/v1/registry/facilities", json=body, headers=admin)
    assert resp.status_code == 201, resp.text
    made = resp.json()
    assert (made["county_code"], made["township_code"]) == ("512002", "512002001")
    assert made["location"]["coordsys"] == "wgs84" and made["location"]["lon"] < 104.64231
    public = client.get(f"/v1/facilities/{made['id']}", params={"coordsys": "gcj02"}).json()
    assert public["location"]["lon"] == pytest.approx(104.64231, abs=1e-6)
    assert audit_actions(db_dsn, made["id"]) == [("create", "city_admin")]


@pytest.mark.parametrize(
    ("location", "field", "message"),
    [
        ({"lon": 30.1217, "lat": 104.64231}, "location.lat", "经纬度顺序颠倒：请先填经度再填纬度"),
        ({"lon": 2.35, "lat": 48.85}, "location.lon", "坐标不在中国境内"),
        ({"lon": 116.40, "lat": 39.90}, "location", "坐标不在任何已登记的城市内"),
    ],
)
def test_create_refuses_points_it_cannot_place(
    client: TestClient, admin: dict[str, str], location: dict[str, float], field: str, message: str
) -> None:
    body = {"name": "某地（示例）", "kinds": ["meal_point"], "location": location}
    resp = client.post("/v1/registry/facilities", json=body, headers=admin)
    assert resp.status_code == 400
    assert resp.json()["invalid_params"] == [{"name": field, "reason": message}]


def test_a_district_admin_cannot_create_outside_the_district(
    client: TestClient, settings: Settings
) -> None:
    anyue = signed_in(client, settings, "zhang.ay", Role.district_admin, "512021")
    body = {
        "name": "越界（示例）",
        "kinds": ["meal_point"],
        "location": {"lon": 104.64231, "lat": 30.12170},
    }
    assert client.post("/v1/registry/facilities", json=body, headers=anyue).status_code == 403


def test_the_application_role_cannot_alter_audit_events(
    client: TestClient, admin: dict[str, str], db_dsn: str
) -> None:
    etag = client.get(URL, headers=admin).headers["etag"]
    client.patch(URL, json={"phone": "1"}, headers={**admin, "If-Match": etag})
    refused = (
        "UPDATE audit_event SET action = 'nothing'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
        "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change",
        "DROP TRIGGER audit_event_no_change ON audit_event",
    )
    for statement in refused:
        with psycopg.connect(db_dsn) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SET ROLE yilao_app")
            conn.execute(statement)
    with psycopg.connect(db_dsn) as conn:
        conn.execute("SET ROLE yilao_app")
        conn.execute(
            "INSERT INTO audit_event (city_code, action, object_type, object_id) "
            "VALUES ('', 'note', 'x', '1')"
        )
        assert conn.execute("SELECT count(*) FROM audit_event").fetchone() == (4,)
