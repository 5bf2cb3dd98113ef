"""Bulk import of 100,000 facilities from CSV, the real import path against a COPY of the
same prepared rows into the same table, in the same run: `python -m bench.import_csv`.

Builds its own database (dropped and re-created: the name must contain `bench`),
migrated by alembic and loaded with the sample cities (their regions place the rows).
Writes a deterministic CSV of `--rows` facilities at random points inside 资阳's
街道/乡镇 (GCJ-02, Chinese headers, as staff save them from Excel), then:

1. baseline: COPY the same rows, already parsed and converted to WGS-84, straight into
   `facility` (location, search tokens and all), timed; then deletes them;
2. the app: `app.services.importing.import_facilities` (commit, not a dry run) on the
   CSV bytes, timed: decoding, row checks, coordinate conversion, staging, placement in
   regions, duplicate search, insert and one audit event per row, in one transaction.

Prints rows/s of both, their ratio against the bar (≥ 0.2 of COPY's), the import's
the process's peak resident memory before and after the import. Exit
status 1 when the bar is not met.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import random
import resource
import sys
import time

import psycopg
from alembic import command
from alembic.config import Config
from psycopg import sql
from sqlalchemy.engine import make_url

from app.db.session import create_engine
from app.domain.import_cells import header_map, parse_cells
from app.domain.import_files import read_table
from app.domain.roles import Role
from app.domain.search_text import facility_document
from app.services.importing import ImportRequest, import_facilities
from app.services.staff import StaffIdentity, create_staff
from app.settings import Settings
from bench import summary
from bench.registry import ROOT
from geo.coords import from_wgs84, to_wgs84
from seed.loader import load_sample_cities

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:54329/ylyx_bench_import"
MIN_RATIO = 0.2
KINDS = ("老年助餐点", "日间照料中心", "托育机构", "养老院", "养老服务驿站")
HEADER = ["名称", "类型", "地址", "经度", "纬度", "电话", "床位数", "普惠", "普惠认定日期"]


def fresh_database(url: str) -> str:
    """Drop, create, migrate and seed the bench database; its libpq DSN."""
    parsed = make_url(url)
    if "bench" not in str(parsed.database) or parsed.host not in ("127.0.0.1", "localhost"):
        sys.exit("--db-url must be a loopback database whose name contains 'bench'")
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        name = sql.Identifier(str(parsed.database))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    sync_url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = sync_url
    command.upgrade(config, "head")
    load_sample_cities(sync_url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def township_points(dsn: str, rows: int, seed: int) -> list[tuple[float, float]]:
    """`rows` WGS-84 points spread over 资阳's 街道/乡镇 in proportion to their area."""
    with psycopg.connect(dsn) as conn:
        found = conn.execute(
            "WITH t AS (SELECT boundary, ST_Area(boundary) AS a FROM region"
            " WHERE level = 'township' AND city_code = '512000'),"
            " s AS (SELECT boundary, ceil(%s * a / sum(a) OVER ())::int AS n FROM t)"
            " SELECT ST_X(g.geom), ST_Y(g.geom)"
            " FROM s, ST_Dump(ST_GeneratePoints(s.boundary, s.n, %s)) AS g",
            (rows, seed),
        ).fetchall()
    points = [(float(x), float(y)) for x, y in found]
    random.Random(seed).shuffle(points)
    return points[:rows]


def csv_file(points: list[tuple[float, float]], seed: int) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i, (lon, lat) in enumerate(points):
        glon, glat = from_wgs84(lon, lat, "gcj02")
        kind = rng.choice(KINDS)
        writer.writerow(
            [
                f"基准导入{kind}{i:06d}（示例）",
                kind,
                f"四川省资阳市示例路{i}号",
                f"{glon:.6f}",
                f"{glat:.6f}",
                f"028-{rng.randrange(10**7, 10**8)}",
                rng.randrange(10, 300) if kind == "养老院" else "",
                rng.choice(("是", "否")),
                f"2024/{rng.randrange(1, 13)}/{rng.randrange(1, 29)}",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def prepared_rows(data: bytes) -> list[tuple[object, ...]]:
    """The CSV's rows parsed and converted, ready for COPY (outside the baseline's clock)."""
    table = read_table(data, "csv")
    assert set(header_map(HEADER).values()) >= {"name", "kinds", "lon", "lat"}
    rows = []
    for number, cells in table.rows:
        parsed = parse_cells(cells)
        assert parsed.lon is not None and parsed.lat is not None and not parsed.errors
        lon, lat = to_wgs84(parsed.lon, parsed.lat, "gcj02")
        v = parsed.values
        rows.append(
            (
                f"b_{number:08d}",
                v["name"],
                "{" + ",".join(v["kinds"]) + "}",
                v.get("address"),
                f"SRID=4326;POINT({lon} {lat})",
                "512000",
                v.get("phone"),
                v.get("beds"),
                v.get("puhui", False),
                v.get("puhui_certified_on"),
                "open",
                "bench baseline",
                facility_document(v["name"], v.get("address"), v["kinds"]),
            )
        )
    return rows


BASELINE_COLUMNS = (
    "public_id, name, kinds, address, location, city_code, phone, beds, puhui,"
    " puhui_certified_on, status, data_source, search_tokens"
)


def copy_baseline(dsn: str, rows: list[tuple[object, ...]]) -> float:
    """Seconds to COPY the prepared rows into facility and commit; the rows are then removed."""
    with psycopg.connect(dsn) as conn:
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(f"COPY facility ({BASELINE_COLUMNS}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        conn.commit()
        elapsed = time.perf_counter() - started
        conn.execute("DELETE FROM facility WHERE data_source = 'bench baseline'")
        conn.commit()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE facility")
    return elapsed


async def app_import(url: str, data: bytes) -> tuple[float, dict[str, object]]:
    settings = Settings(database_url=url)
    engine = create_engine(settings)
    try:
        staff_id = await create_staff(
            engine,
            username="bench.importer",
            password="bench-password-not-secret",
            role=Role.city_admin,
            city_code="512000",
        )
        who = StaffIdentity(staff_id, "bench.importer", Role.city_admin, "512000", None)
        request = ImportRequest(data, "csv", dry_run=False, valid_rows_only=True)
        started = time.perf_counter()
        report = await import_facilities(engine, who, request, max_bytes=len(data) + 1)
        return time.perf_counter() - started, report
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_csv")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--db-url", default=DEFAULT_URL)
    args = parser.parse_args(argv)
    print(f"building {args.db_url} (migrate + sample cities) …", flush=True)
    dsn = fresh_database(args.db_url)
    data = csv_file(township_points(dsn, args.rows, args.seed), args.seed)
    rows = prepared_rows(data)
    print(f"{len(rows):,} rows, CSV {len(data) / 1e6:.1f} MB", flush=True)
    copy_s = copy_baseline(dsn, rows)
    del rows
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    import_s, report = asyncio.run(app_import(args.db_url, data))
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    added = int(report["rows_added"])  # type: ignore[call-overload]
    copy_rps, import_rps = args.rows / copy_s, added / import_s
    ratio = import_rps / copy_rps
    print(f"baseline COPY : {copy_s:7.2f} s  {copy_rps:10,.0f} rows/s")
    print(
        f"app import    : {import_s:7.2f} s  {import_rps:10,.0f} rows/s  ({added:,} added,"
        f" {report['rows_invalid']} invalid, {report['rows_duplicate']} duplicates)"
    )
    print(
        f"ratio         : {ratio:.3f} (bar ≥ {MIN_RATIO}) {'PASS' if ratio >= MIN_RATIO else 'FAIL'}"
    )
    print(
        f"memory        : process peak RSS {rss_after:.0f} MiB ({rss_before:.0f} MiB before the"
        " import: the CSV, the baseline's prepared rows, the sample cities)"
    )
    ok = ratio >= MIN_RATIO and added >= 0.999 * args.rows
    summary.write(
        "import",
        [
            summary.Row(
                f"CSV import, {args.rows:,} rows (peak RSS {rss_after:.0f} MiB)",
                f"{import_rps:,.0f} rows/s",
                f"COPY {copy_rps:,.0f} rows/s",
                ratio,
                f"≥ {MIN_RATIO}",
                ok,
            )
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
