"""Backup and point-in-time-recovery drill with the OS's own PostgreSQL tools.

    .venv/bin/python -m bench.backup_drill            # the sample city (≈ 2 min)
    .venv/bin/python -m bench.backup_drill --small    # 200 drill facilities (≈ 40 s)

On a throwaway cluster of its own (`.ci/pg`, a free port, under /var/tmp) it:
1. turns on WAL archiving (`archive_mode`, `archive_command` copying to a folder,
   `archive_timeout`), migrates the database and loads the sample city;
2. takes a base backup with `pg_basebackup` (WAL streamed alongside);
3. makes a few ordinary changes, records the server time T and every table's checksum;
4. makes a destructive change (deletes prices and opening hours, marks every facility
   deleted, deletes the walking network, creates a stray table);
5. stops the server, restores the base backup into a new data directory and replays
   the archived WAL up to T (`recovery_target_time`, then promote);
6. compares every table's checksum with what was recorded at T.

It prints the restore time (start of replay to a promoted, answering server) and the
data-loss window: nothing committed at or before T is lost (the checksums prove it);
a server lost outright loses at most the WAL not yet archived, bounded by
`archive_timeout`. The exit status is 1 when a checksum differs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import sql

from bench import summary
from bench.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
PG = ROOT / ".ci" / "pg"
ARCHIVE_TIMEOUT_S = 60


def _pg_bin() -> Path:
    return sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]


def _as_postgres(*argv: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else list(argv)


def _run(*argv: str) -> None:
    subprocess.run(argv, check=True, timeout=600, stdout=subprocess.DEVNULL)


@dataclass(frozen=True)
class DrillResult:
    tables: int
    rows: int
    restore_s: float
    target: datetime
    matching: bool
    differing: tuple[str, ...]


def checksums(dsn: str) -> dict[str, tuple[int, str]]:
    """Row count and md5 of every ordinary table in the public schema, rows in text order."""
    out: dict[str, tuple[int, str]] = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        for name in names:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), ''))"
                " FROM {} t"
            ).format(sql.Identifier(name))
            row = conn.execute(query).fetchone()
            assert row is not None
            out[name] = (int(row[0]), str(row[1]))
    return out


def drill(workdir: Path, load_sample_city: bool = True) -> DrillResult:
    """Run the whole drill under `workdir` (created, and removed afterwards)."""
    port = free_port()
    data, base, archive, restored = (workdir / n for n in ("data", "base", "archive", "restored"))
    workdir.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    dsn = f"postgresql://postgres@127.0.0.1:{port}/yilao"
    try:
        _run(str(PG), "start", str(data), str(port))
        _run(*_as_postgres("mkdir", "-p", str(archive)))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("ALTER SYSTEM SET archive_mode = on")
            conn.execute(f"ALTER SYSTEM SET archive_command = 'cp %p {archive}/%f'")
            conn.execute(f"ALTER SYSTEM SET archive_timeout = {ARCHIVE_TIMEOUT_S}")
            conn.execute("CREATE DATABASE yilao")
        _run(str(PG), "stop", str(data))
        _run(str(PG), "start", str(data), str(port))
        _prepare(dsn, load_sample_city)

        _run(
            *_as_postgres(
                str(_pg_bin() / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "-D",
                str(base),
                "-X",
                "stream",
                "-c",
                "fast",
            )
        )
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("UPDATE facility SET phone = '028-00000000' WHERE id % 7 = 0")
            conn.execute("ANALYZE")
        recorded = checksums(dsn)
        with psycopg.connect(dsn, autocommit=True) as conn:
            row = conn.execute("SELECT now()").fetchone()
            assert row is not None
            target: datetime = row[0]
            time.sleep(1.0)  # commits after T carry later timestamps
            conn.execute("DELETE FROM facility_price")
            conn.execute("DELETE FROM facility_hours")
            conn.execute("UPDATE facility SET deleted_at = now()")
            conn.execute("DELETE FROM walk_edge")
            conn.execute("CREATE TABLE drill_damage AS SELECT 1 AS x")  # always one commit
            conn.execute("SELECT pg_switch_wal()")
        time.sleep(1.0)  # let the archiver copy the last segment
        _run(str(PG), "stop", str(data))

        _run(*_as_postgres("cp", "-a", str(base), str(restored)))
        with open(restored / "postgresql.auto.conf", "a", encoding="utf-8") as conf:
            conf.write(
                f"restore_command = 'cp {archive}/%f %p'\n"
                f"recovery_target_time = '{target.isoformat()}'\n"
                "recovery_target_action = 'promote'\n"
                "archive_mode = off\n"
            )
        _run(*_as_postgres("touch", str(restored / "recovery.signal")))
        began = time.monotonic()
        subprocess.run([str(PG), "start", str(restored), str(port)], timeout=600, check=False)
        _wait_until_promoted(admin, restored / "server.log")
        restore_s = time.monotonic() - began
        now = checksums(dsn)
        differing = tuple(sorted(n for n in recorded if now.get(n) != recorded[n]))
        return DrillResult(
            tables=len(recorded),
            rows=sum(c for c, _ in recorded.values()),
            restore_s=restore_s,
            target=target,
            matching=not differing and set(now) == set(recorded),
            differing=differing,
        )
    finally:
        for d in (data, restored):
            subprocess.run([str(PG), "stop", str(d)], timeout=120, check=False)
        shutil.rmtree(workdir, ignore_errors=True)


def _prepare(dsn: str, load_sample_city: bool) -> None:
    from alembic import command
    from alembic.config import Config

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    url = dsn.replace("postgresql://", "postgresql+psycopg://")
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    command.upgrade(config, "head")
    if load_sample_city:
        from seed.loader import load_sample_cities

        load_sample_cities(url)
        return
    with psycopg.connect(dsn, autocommit=True) as conn:  # a small registry of drill rows
        conn.execute(
            "INSERT INTO region (code, name, level, city_code) "
            "VALUES ('990000', '演练市（示例）', 'city', '990000')"
        )
        conn.execute(
            "INSERT INTO facility (public_id, name, kinds, location, city_code, data_source, "
            "search_tokens, is_sample, phone) SELECT 'drill' || g, '演练设施' || g || '（示例）', "
            "ARRAY['meal_point'], ST_SetSRID(ST_MakePoint(104 + g * 0.001, 30), 4326)::geography,"
            " '990000', 'backup drill', ''::tsvector, true, '028-' || g "
            "FROM generate_series(1, 200) g"
        )
        conn.execute(
            "INSERT INTO facility_price (facility_id, city_code, item, amount_fen, unit) "
            "SELECT id, city_code, '午餐', 1200 + id, 'meal' FROM facility"
        )


def _wait_until_promoted(admin: str, log: Path, timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(admin, autocommit=True, connect_timeout=2) as conn:
                row = conn.execute("SELECT pg_is_in_recovery()").fetchone()
                if row is not None and row[0] is False:
                    return
        except psycopg.OperationalError:
            pass
        time.sleep(0.2)
    tail = log.read_text("utf-8", errors="replace")[-2000:] if log.exists() else ""
    raise TimeoutError(f"the restored server did not finish recovery:\n{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="200 drill rows, no sample city")
    args = parser.parse_args(argv)
    workdir = Path("/var/tmp") / f"ylyx-backup-drill-{uuid.uuid4().hex[:8]}"
    result = drill(workdir, load_sample_city=not args.small)
    print(f"  tables compared           {result.tables} ({result.rows:,} rows at T)")
    print(f"  recovery target T         {result.target.isoformat()}")
    print(f"  restore time              {result.restore_s:.1f} s (replay to a promoted server)")
    print(
        "  data lost at or before T  none"
        if result.matching
        else f"  tables differing          {', '.join(result.differing)}"
    )
    print(
        f"  data-loss window          ≤ {ARCHIVE_TIMEOUT_S} s of commits if the server is lost "
        "outright (archive_timeout); 0 for a bad change recovered to just before it"
    )
    print("  RESULT: " + ("PASS" if result.matching else "FAIL"))
    summary.write(
        "backup",
        [
            summary.Row(
                "backup drill: restore to a recorded time",
                f"{result.restore_s:.1f} s, {result.rows:,} rows compared",
                "table checksums at T",
                None,
                "nothing lost at or before T",
                result.matching,
            )
        ],
    )
    return 0 if result.matching else 1


if __name__ == "__main__":
    sys.exit(main())
