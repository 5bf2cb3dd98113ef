"""Bulk import: dry-run report, all-or-nothing commit, idempotency, formats and bad input."""

from __future__ import annotations

import csv
import io
import json

import psycopg
import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from app.domain.roles import Role
from app.settings import Settings
from tests.api.staff_session import signed_in

HOME = "f_1ca682286016"  # 莲花街道暖阳养老院（示例）
LOTUS = (104.64231, 30.12170)  # GCJ-02, 雁江区 莲花街道
HEADER = ["名称", "类型", "地址", "经度", "纬度", "备案号", "床位数", "普惠认定日期"]


def csv_bytes(
    rows: list[list[object]], header: list[str] = HEADER, encoding: str = "utf-8-sig"
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def at(dx: float, dy: float = 0.0) -> tuple[float, float]:
    return round(LOTUS[0] + dx, 6), round(LOTUS[1] + dy, 6)


def good_rows() -> list[list[object]]:
    return [
        [
            "莲花街道甲长者食堂（示例）",
            "老年助餐点",
            "莲花街道1号",
            *at(0.001),
            "BA-001",
            "",
            "2024-03-01",
        ],
        [
            "莲花街道乙托育园（示例）",
            "childcare_center",
            "莲花街道2号",
            *at(0.003),
            "",
            "",
            "2024/3/1",
        ],
        [
            "莲花街道丙养老院（示例）",
            "养老院",
            "莲花街道3号",
            *at(0.005),
            "BA-003",
            60,
            "2024年3月1日",
        ],
    ]


@pytest.fixture
def admin(client: TestClient, settings: Settings) -> dict[str, str]:
    return signed_in(client, settings, "wu.city", Role.city_admin)


def post(client: TestClient, headers: dict[str, str], data: bytes, **params: object):  # type: ignore[no-untyped-def]
    query = {"format": "csv", "dry_run": "false", **params}
    return client.post("/v1/registry/imports", params=query, content=data, headers=headers)


def counts(db_dsn: str) -> tuple[int, int]:
    with psycopg.connect(db_dsn) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM facility), (SELECT count(*) FROM audit_event"
            " WHERE action = 'import')"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_dry_run_reports_every_bad_row_and_duplicate(
    client: TestClient, admin: dict[str, str], db_dsn: str
) -> None:
    home = client.get(f"/v1/facilities/{HOME}", params={"coordsys": "gcj02"}).json()
    rows = [
        *good_rows(),
        ["城堡（示例）", "castle", "", *at(0.007), "", "", ""],  # row 5
        ["颠倒（示例）", "老年助餐点", "", LOTUS[1], LOTUS[0], "", "", ""],  # row 6
        ["巴黎（示例）", "老年助餐点", "", 2.35, 48.85, "", "", ""],  # row 7
        ['=HYPERLINK("http://x")', "老年助餐点", "", *at(0.009), "", "", ""],  # row 8
        ["日期错（示例）", "老年助餐点", "", *at(0.011), "", "", "2024.03.01"],  # row 9
        ["北京（示例）", "老年助餐点", "", 116.40, 39.90, "", "", ""],  # row 10
        [
            home["name"],
            "养老机构",
            "",
            home["location"]["lon"] + 0.0001,
            home["location"]["lat"],
            "",
            "",
            "",
        ],
        ["重号（示例）", "老年助餐点", "", *at(0.013), "BA-001", "", ""],  # row 12: as row 2
        ["", "老年助餐点", "", *at(0.015), "", "", ""],  # row 13
    ]
    before = counts(db_dsn)
    report = post(client, admin, csv_bytes(rows), dry_run="true").json()
    assert report["errors"] == [
        {"row": 5, "column": "kinds", "message": "未知设施类型：castle"},
        {"row": 6, "column": "lat", "message": "经纬度顺序颠倒：请先填经度再填纬度"},
        {"row": 7, "column": "lon", "message": "坐标不在中国境内"},
        {"row": 8, "column": "name", "message": "单元格是电子表格公式（以 = 开头），请改为数值"},
        {
            "row": 9,
            "column": "puhui_certified_on",
            "message": "“2024.03.01”不是日期（可写 2024-03-01、2024/3/1 或 2024年3月1日）",
        },
        {"row": 10, "column": "lon", "message": "坐标不在本市（512000）的任何乡镇街道内"},
        {"row": 13, "column": "name", "message": "必填，不能为空"},
    ]
    assert [
        (d["row"], d["column"], d["existing_id"], d["same_as_row"]) for d in report["duplicates"]
    ] == [
        (11, "name", HOME, None),
        (12, "registration_no", None, 2),
    ]
    assert report["duplicates"][0]["message"] == f"与已有设施 {HOME} 重复（同名且相距 50 米内）"
    assert (report["rows_total"], report["rows_invalid"], report["rows_to_add"]) == (12, 7, 3)
    assert report["committed"] is False and counts(db_dsn) == before


def test_invalid_rows_block_the_commit_unless_asked(
    client: TestClient, admin: dict[str, str], db_dsn: str
) -> None:
    rows = [*good_rows(), ["城堡（示例）", "castle", "", *at(0.007), "", "", ""]]
    facilities, imports = counts(db_dsn)
    refused = post(client, admin, csv_bytes(rows))
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["invalid_params"] == [
        {"name": "row 5: kinds", "reason": "未知设施类型：castle"}
    ]
    assert counts(db_dsn) == (facilities, imports)
    done = post(client, admin, csv_bytes(rows), valid_rows_only="true")
    assert done.status_code == 201, done.text
    assert done.json()["rows_added"] == 3
    assert counts(db_dsn) == (facilities + 3, imports + 3 + 1)  # one event per row + the batch
    found = client.get("/v1/facilities/search", params={"q": "莲花街道丙养老院"}).json()["items"]
    assert [f["kinds"] for f in found] == [["eldercare_institution"]]
    detail = client.get(f"/v1/facilities/{found[0]['id']}").json()
    assert (detail["beds"], detail["puhui_certified_on"], detail["county_code"]) == (
        60,
        "2024-03-01",
        "512002",
    )


def test_the_same_file_twice_adds_nothing(
    client: TestClient, admin: dict[str, str], db_dsn: str
) -> None:
    data = csv_bytes(good_rows())
    first = post(client, admin, data, **{})
    assert first.status_code == 201 and first.json()["rows_added"] == 3
    after_first = counts(db_dsn)
    again = post(client, admin, data)
    assert again.status_code == 200
    assert (again.json()["already_imported"], again.json()["rows_added"]) == (True, 0)
    assert counts(db_dsn) == after_first


def test_an_idempotency_key_guards_retries(
    client: TestClient, admin: dict[str, str], db_dsn: str
) -> None:
    key = {**admin, "Idempotency-Key": "batch-2026-11-23-a"}
    data = csv_bytes(good_rows())
    assert post(client, key, data).status_code == 201
    assert post(client, key, data).json()["already_imported"] is True
    other = csv_bytes(good_rows()[:1])
    assert post(client, key, other).status_code == 409


def test_gbk_xlsx_and_geojson_files(client: TestClient, admin: dict[str, str]) -> None:
    rows = good_rows()
    gbk = post(client, admin, csv_bytes(rows[:1], encoding="gbk"), dry_run="true").json()
    assert (gbk["rows_to_add"], gbk["errors"]) == (1, [])
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(rows[1])
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = post(client, admin, buffer.getvalue(), format="xlsx", dry_run="true").json()
    assert (xlsx["rows_to_add"], xlsx["errors"]) == (1, [])
    name, kind, address, lon, lat, _reg, beds, _day = rows[2]
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"名称": name, "类型": kind, "地址": address, "床位数": beds},
    }
    doc = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    geo = post(client, admin, doc, format="geojson")
    assert geo.status_code == 201 and geo.json()["rows_added"] == 1


@pytest.mark.parametrize(
    ("data", "fmt", "status", "detail"),
    [
        (b"", "csv", 400, "文件为空"),
        ("名称,类型\n".encode("utf-16"), "csv", 400, "UTF-16"),
        (b"\x00\x01garbage", "xlsx", 400, "不是有效的 XLSX 文件"),
        ("名称,类型\n".encode(), "csv", 400, "文件没有数据行"),
        (b"name;kinds\nx;y\n", "csv", 400, "找不到“名称”列"),
        (b"{not json", "geojson", 400, "不是有效的 GeoJSON"),
        (b"x" * 2001, "csv", 413, "at most 2000 bytes"),
    ],
)
def test_bad_files_are_problems_not_500s(
    settings: Settings, walking_state: object, data: bytes, fmt: str, status: int, detail: str
) -> None:
    from app.main import create_app

    small = settings.model_copy(update={"import_max_bytes": 2000})
    with TestClient(create_app(small, walking_state=walking_state)) as client:  # type: ignore[arg-type]
        headers = signed_in(client, small, "bad.files", Role.city_admin)
        resp = post(client, headers, data, format=fmt)
    assert resp.status_code == status
    assert resp.headers["content-type"] == "application/problem+json"
    assert detail in resp.json()["detail"]


def test_operators_and_auditors_cannot_import(client: TestClient, settings: Settings) -> None:
    auditor = signed_in(client, settings, "audit.only", Role.auditor)
    assert post(client, auditor, csv_bytes(good_rows())).status_code == 403


def test_a_district_admin_imports_only_inside_the_district(
    client: TestClient, settings: Settings
) -> None:
    anyue = signed_in(client, settings, "an.yue", Role.district_admin, "512021")
    report = post(client, anyue, csv_bytes(good_rows()[:1]), dry_run="true").json()
    assert report["errors"] == [{"row": 2, "column": "lon", "message": "坐标超出您的管辖范围"}]
