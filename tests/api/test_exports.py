"""Export writes the import formats: what it writes reads back as the same facilities,
and cells a spreadsheet would run are neutralised."""

from __future__ import annotations

import psycopg
import pytest
from fastapi.testclient import TestClient

from app.db.queries.importing import RECORD_COLUMNS
from app.domain.import_cells import parse_cells
from app.domain.import_files import read_table
from app.domain.roles import Role
from app.settings import Settings
from geo.coords import to_wgs84
from tests.api.staff_session import signed_in

HOME = "f_1ca682286016"
STREET = "512002001"  # 莲花街道


@pytest.fixture
def admin(client: TestClient, settings: Settings, db_dsn: str) -> dict[str, str]:
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute(
            "UPDATE facility SET phone = '+86 28 2652 5409', operator_name = '=cmd|calc',"
            " registration_no = '@备案-1', puhui_certified_on = '2024-03-01' WHERE public_id = %s",
            (HOME,),
        )
    return signed_in(client, settings, "exporter", Role.city_admin)


def stored(db_dsn: str) -> dict[str, dict[str, object]]:
    columns = ", ".join(RECORD_COLUMNS)
    with psycopg.connect(db_dsn) as conn:
        cur = conn.execute(
            f"SELECT {columns}, ST_X(location::geometry), ST_Y(location::geometry) FROM facility"  # noqa: S608
            " WHERE township_code = %s AND deleted_at IS NULL",
            (STREET,),
        )
        names = [d.name for d in cur.description or []]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return {str(r["name"]): r for r in rows}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_export_round_trips(
    client: TestClient, admin: dict[str, str], db_dsn: str, fmt: str
) -> None:
    resp = client.get(
        "/v1/registry/exports", params={"format": fmt, "region": STREET}, headers=admin
    )
    assert resp.status_code == 200 and resp.headers["cache-control"] == "private, no-store"
    table = read_table(resp.content, fmt)  # type: ignore[arg-type]
    expected = stored(db_dsn)
    assert len(table.rows) == len(expected) == 34
    for _, cells in table.rows:
        parsed = parse_cells(cells)
        assert parsed.errors == []
        row = expected[parsed.values["name"]]
        for column in RECORD_COLUMNS:
            empty = [] if column in ("services", "accessibility") else None
            assert parsed.values.get(column, empty) == row[column], column
        assert parsed.lon is not None and parsed.lat is not None
        lon, lat = to_wgs84(parsed.lon, parsed.lat, "gcj02")
        assert (lon, lat) == pytest.approx((row["st_x"], row["st_y"]), abs=1e-6)


def test_cells_that_spreadsheets_would_run_are_neutralised(
    client: TestClient, admin: dict[str, str]
) -> None:
    body = client.get(
        "/v1/registry/exports", params={"format": "csv", "region": STREET}, headers=admin
    ).content.decode("utf-8-sig")
    assert "'+86 28 2652 5409" in body and "'=cmd|calc" in body and "'@备案-1" in body
    assert ",+86" not in body and ",=cmd" not in body


def test_importing_an_export_adds_nothing(client: TestClient, admin: dict[str, str]) -> None:
    data = client.get(
        "/v1/registry/exports", params={"format": "csv", "region": STREET}, headers=admin
    ).content
    report = client.post(
        "/v1/registry/imports",
        params={"format": "csv", "dry_run": "false"},
        content=data,
        headers=admin,
    ).json()
    assert (report["rows_total"], report["rows_duplicate"], report["rows_added"]) == (34, 34, 0)
    assert report["errors"] == []
