"""Who may do what to which facility: roles × objects, each cell spelled out."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from app.domain.roles import Role
from app.settings import Settings
from tests.api.staff_session import signed_in

HOME_A = "f_1ca682286016"  # 雁江区 莲花街道 (512002001), 养老机构 with 190 beds
HOME_B = "f_af18b9692098"  # 雁江区 宝莲街道 (512002005)
STAFF: dict[str, tuple[Role, str | None, str]] = {
    "city_zy": (Role.city_admin, None, "512000"),
    "city_cd": (Role.city_admin, None, "510100"),
    "district_yj": (Role.district_admin, "512002", "512000"),
    "district_ay": (Role.district_admin, "512021", "512000"),
    "street_lh": (Role.district_admin, "512002001", "512000"),
    "operator_a": (Role.facility_operator, None, "512000"),
    "auditor_zy": (Role.auditor, None, "512000"),
}
# Expected answers: (staff, facility) → status for read, vacancy, rename, delete.
OK, NO = 200, 403
EXPECTED: dict[tuple[str, str], tuple[int, int, int, int]] = {
    ("city_zy", "A"): (OK, OK, OK, OK),
    ("city_zy", "B"): (OK, OK, OK, OK),
    ("city_zy", "C"): (OK, OK, OK, OK),
    ("city_cd", "A"): (NO, NO, NO, NO),
    ("city_cd", "C"): (NO, NO, NO, NO),
    ("district_yj", "A"): (OK, OK, OK, OK),
    ("district_yj", "B"): (OK, OK, OK, OK),
    ("district_yj", "C"): (NO, NO, NO, NO),
    ("district_ay", "A"): (NO, NO, NO, NO),
    ("district_ay", "C"): (OK, OK, OK, OK),
    ("street_lh", "A"): (OK, OK, OK, OK),
    ("street_lh", "B"): (NO, NO, NO, NO),
    ("operator_a", "A"): (OK, OK, NO, NO),
    ("operator_a", "B"): (NO, NO, NO, NO),
    ("operator_a", "C"): (NO, NO, NO, NO),
    ("auditor_zy", "A"): (OK, NO, NO, NO),
    ("auditor_zy", "C"): (OK, NO, NO, NO),
}


@pytest.fixture
def homes(db_dsn: str) -> dict[str, str]:
    from tests.api.staff_session import facility_in

    return {"A": HOME_A, "B": HOME_B, "C": facility_in(db_dsn, "512021")}


def test_roles_against_objects(
    client: TestClient, settings: Settings, homes: dict[str, str]
) -> None:
    headers = {
        name: signed_in(
            client,
            settings,
            name,
            role,
            region,
            city=city,
            facilities=(HOME_A,) if role is Role.facility_operator else (),
        )
        for name, (role, region, city) in STAFF.items()
    }
    admin = headers["city_zy"]

    def current(pid: str) -> dict[str, str]:
        resp = client.get(f"/v1/registry/facilities/{pid}", headers=admin)
        return {"If-Match": resp.headers["etag"]}

    url = "/v1/registry/facilities/{}".format
    actions: list[Callable[[str, dict[str, str]], int]] = [
        lambda pid, h: client.get(url(pid), headers=h).status_code,
        lambda pid, h: (
            client.put(
                url(pid) + "/vacancy", json={"vacant_beds": 0}, headers={**h, **current(pid)}
            ).status_code
        ),
        lambda pid, h: (
            client.patch(
                url(pid), json={"name": "改名测试（示例）"}, headers={**h, **current(pid)}
            ).status_code
        ),
        lambda pid, h: client.delete(url(pid), headers={**h, **current(pid)}).status_code,
    ]
    for (who, which), expected in EXPECTED.items():
        pid = homes[which]
        got = []
        for act in actions:
            got.append(act(pid, headers[who]))
            if got[-1] == OK and act is actions[3]:  # undo the delete for the next cell
                restored = client.post(url(pid) + "/restore", headers={**admin, **current(pid)})
                assert restored.status_code == OK
        assert tuple(got) == expected, (who, which, got)


def test_an_operator_cannot_read_another_facilitys_private_fields(
    client: TestClient, settings: Settings
) -> None:
    ops = signed_in(client, settings, "ops.a", Role.facility_operator, facilities=(HOME_A,))
    mine = client.get(f"/v1/registry/facilities/{HOME_A}", headers=ops)
    theirs = client.get(f"/v1/registry/facilities/{HOME_B}", headers=ops)
    assert mine.status_code == 200 and "registration_no" in mine.json()
    assert theirs.status_code == 403 and "registration_no" not in theirs.text
    assert client.get(f"/v1/registry/facilities/{HOME_A}/audit", headers=ops).status_code == 403
