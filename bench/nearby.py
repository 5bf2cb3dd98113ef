"""Nearby search, full app against raw asyncpg, over HTTP on loopback: `python -m bench.nearby`.

Ensures the local PostGIS cluster and the synthetic registry (bench.registry), starts
the app (app.main:create_app) and the raw endpoint (bench.raw_app) with uvicorn, one
worker each, checks that both return the same facilities, warms both up, then drives
each in turn with wrk (same locations, same kind, same concurrency) and prints
requests/s and p50/p95 for both, their ratios, PASS/FAIL against the bar and the
app's resident memory after the run. Exit status 1 when the bar is not met.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from app.domain.vocabulary import kinds
from bench import places, registry
from bench import summary as bench_summary
from bench.loadgen import combine, ensure_wrk, run_wrk
from bench.report import Measured, print_report
from bench.servers import ROOT, Server, Servers, host_cpu_jiffies

OUT = ROOT / "bench" / "out"
PG_DIR = "/var/tmp/yilao-yixiao/pg"
PG_PORT = 54329
NEARBY = "/v1/facilities/nearby"


def ensure_cluster(db: registry.BenchDatabase) -> None:
    """Start the project's local cluster when the bench database lives on it."""
    if db.url.port in (None, PG_PORT):
        subprocess.run([str(ROOT / ".ci" / "pg"), "start", PG_DIR, str(PG_PORT)], check=True)


def set_plan_cache_mode(db: registry.BenchDatabase, mode: str) -> None:
    """Database-level plan_cache_mode for both servers' new sessions (auto = PostgreSQL's)."""
    name = sql.Identifier(str(db.url.database))
    with psycopg.connect(db.dsn, autocommit=True) as conn:
        if mode == "auto":
            conn.execute(sql.SQL("ALTER DATABASE {} RESET plan_cache_mode").format(name))
        else:
            setting = sql.SQL("ALTER DATABASE {} SET plan_cache_mode = {}")
            conn.execute(setting.format(name, sql.Identifier(mode)))


def write_paths(path: Path, count: int, seed: int, kind: str, radius_m: int, limit: int) -> None:
    """`count` request paths at points drawn like the facilities' cities (cores and suburbs)."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        lon, lat = places.city_point(rng, places.pick_city(rng))
        lines.append(
            f"{NEARBY}?lon={lon:.6f}&lat={lat:.6f}&radius_m={radius_m}&limit={limit}&kind={kind}"
        )
    path.write_text("\n".join(lines) + "\n")


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def same_rows(app: Server, raw: Server, paths: list[str], limit: int) -> tuple[int, int]:
    """How many sample locations give the same facilities, in order, and total in both."""
    same = 0
    for path in paths:
        got = _get_json(app.url + path)
        rows = _get_json(raw.url + path)["items"]
        raw_ids = [r["public_id"] for r in rows[:limit]]
        raw_total = rows[0]["total"] if rows else 0
        same += [i["id"] for i in got["items"]] == raw_ids and got["total"] == raw_total
    return same, len(paths)


def pg_sessions(db: registry.BenchDatabase) -> int:
    """Sessions ever opened on the bench database (pg_stat_database.sessions)."""
    query = "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
    with psycopg.connect(db.dsn, autocommit=True) as conn:
        row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


def measure(
    wrk: str, server: Server, db: registry.BenchDatabase, paths_file: Path, load: dict[str, Any]
) -> Measured:
    """One wrk run against `server`, with its CPU, the host's CPU and new PG sessions."""
    cpu, host, sessions = server.cpu_seconds(), host_cpu_jiffies(), pg_sessions(db)
    result = run_wrk(wrk, server.url, paths_file, **load)
    busy, total = (after - before for after, before in zip(host_cpu_jiffies(), host, strict=True))
    return Measured(
        wrk=result,
        server_cpu_s=server.cpu_seconds() - cpu,
        host_busy=busy / max(total, 1),
        sessions_opened=pg_sessions(db) - sessions - 1,  # less our own pg_sessions() call
    )


def background_cpu(seconds: float = 2.0) -> float:
    """Share of all CPUs busy over a short idle moment: other work on the machine."""
    busy, total = host_cpu_jiffies()
    time.sleep(seconds)
    busy_after, total_after = host_cpu_jiffies()
    return (busy_after - busy) / max(total_after - total, 1)


def merge(rounds: list[Measured]) -> Measured:
    busy = sum(m.host_busy * m.wrk.duration_us for m in rounds)
    return Measured(
        wrk=combine([m.wrk for m in rounds]),
        server_cpu_s=sum(m.server_cpu_s for m in rounds),
        host_busy=busy / sum(m.wrk.duration_us for m in rounds),
        sessions_opened=sum(m.sessions_opened for m in rounds),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per server")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per server")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved raw/app runs")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rows", type=int, default=registry.DEFAULT_ROWS)
    parser.add_argument("--seed", type=int, default=registry.DEFAULT_SEED)
    parser.add_argument("--points", type=int, default=10_000, help="distinct query locations")
    parser.add_argument("--kind", default="day_care_center", help="the one kind filter")
    parser.add_argument("--radius-m", type=int, default=3000)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--db-url", default=registry.DEFAULT_URL)
    parser.add_argument(
        "--app-factory",
        default="app.main:create_app",
        help="module:factory of the full app (to compare a variant against the same baseline)",
    )
    parser.add_argument(
        "--plan-cache-mode",
        choices=("auto", "force_custom_plan", "force_generic_plan"),
        default="auto",
        help="PostgreSQL plan_cache_mode for the bench database (auto is the default)",
    )
    args = parser.parse_args()

    db = registry.BenchDatabase.parse(args.db_url)
    if args.kind not in kinds():
        parser.error(f"unknown kind {args.kind!r}")
    ensure_cluster(db)
    loaded_in = registry.ensure(db, args.rows, args.seed)
    set_plan_cache_mode(db, args.plan_cache_mode)
    wrk = ensure_wrk()
    OUT.mkdir(parents=True, exist_ok=True)
    paths_file = OUT / "nearby-paths.txt"
    write_paths(paths_file, args.points, args.seed + 1, args.kind, args.radius_m, args.limit)
    paths = paths_file.read_text().splitlines()

    busy_before = background_cpu()
    env = {**os.environ, "DATABASE_URL": db.async_url}
    raw = Server("raw", "bench.raw_app:create_app", env)
    app = Server("app", args.app_factory, env)
    load: dict[str, Any] = {"duration_s": args.duration, "connections": args.connections}
    load["threads"] = args.threads
    with Servers(raw, app):
        raw.start(OUT)
        app.start(OUT)
        print(f"[bench] raw endpoint pid {raw.pid} at {raw.url}, app pid {app.pid} at {app.url}")
        same, sampled = same_rows(app, raw, paths[:20], args.limit)
        print(f"[bench] same facilities and total from both at {same}/{sampled} sample locations")
        for server in (raw, app):
            run_wrk(wrk, server.url, paths_file, **{**load, "duration_s": args.warmup})
        rounds: dict[str, list[Measured]] = {"raw": [], "app": []}
        for round_no in range(1, args.rounds + 1):
            for server in (raw, app):
                print(
                    f"[bench] round {round_no}/{args.rounds} {server.name}:"
                    f" wrk {args.connections} connections, {args.threads} threads,"
                    f" {args.duration} s",
                    flush=True,
                )
                rounds[server.name].append(measure(wrk, server, db, paths_file, load))
        memory = {s.name: s.memory_kib() for s in (raw, app)}
    measured = {name: merge(runs) for name, runs in rounds.items()}
    notes = [
        f"{args.rows:,} facilities; {args.points:,} locations; kind={args.kind};"
        f" radius {args.radius_m} m; limit {args.limit} (the database is asked for"
        f" {args.limit + 1} rows by both); plan_cache_mode={args.plan_cache_mode};"
        f" {os.cpu_count()} CPUs shared by wrk, both servers and PostgreSQL",
    ]
    if busy_before > 0.1:
        notes.append(f"CPUs {busy_before:.0%} busy before the servers started: other work")
    if args.rounds > 1:
        notes.append(f"{args.rounds} interleaved rounds: totals summed, percentiles the median")
    if same != sampled:
        notes.append(f"FAIL: the two servers disagree at {sampled - same}/{sampled} locations")
    verdict = print_report(measured["raw"], measured["app"], memory, notes)
    verdict["pass"] = verdict["pass"] and same == sampled
    summary = {
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "args": vars(args) | {"db_url": make_url(args.db_url).render_as_string(True)},
        "cpus": os.cpu_count(),
        "cpu_busy_before": busy_before,
        "registry_load_s": loaded_in,
        "same_rows": [same, sampled],
        "results": {k: m.as_json() for k, m in measured.items()},
        "rounds": {k: [m.as_json() for m in runs] for k, runs in rounds.items()},
        "memory_kib": memory,
        "verdict": verdict,
    }
    (OUT / "nearby.json").write_text(json.dumps(summary, indent=2) + "\n")
    raw_m, app_m = measured["raw"], measured["app"]
    bench_summary.write(
        "nearby",
        [
            bench_summary.Row(
                "nearby search (3 km, 20, one kind): requests/s",
                f"app {app_m.wrk.rps:,.0f}",
                f"raw asyncpg {raw_m.wrk.rps:,.0f}",
                verdict["rps_ratio"],
                "≥ 0.5",
                verdict["rps_ratio"] >= 0.5 and same == sampled,
            ),
            bench_summary.Row(
                "nearby search: p95 latency",
                f"app {app_m.wrk.p95_us / 1000:.1f} ms",
                f"raw asyncpg {raw_m.wrk.p95_us / 1000:.1f} ms",
                verdict["p95_ratio"],
                "< 4",
                verdict["p95_ratio"] < 4,
            ),
        ],
    )
    return 0 if verdict["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
