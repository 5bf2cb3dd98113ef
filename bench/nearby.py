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
from dataclasses import asdict
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from app.domain.vocabulary import kinds
from bench import places, registry
from bench.loadgen import WrkResult, ensure_wrk, run_wrk
from bench.servers import ROOT, Server, Servers

OUT = ROOT / "bench" / "out"
PG_DIR = "/var/tmp/yilao-yixiao/pg"
PG_PORT = 54329
NEARBY = "/v1/facilities/nearby"
MIN_RPS_RATIO = 0.5
MAX_P95_RATIO = 4.0


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


def _ms(us: float) -> str:
    return f"{us / 1000:.2f} ms"


def report(
    raw: WrkResult, app: WrkResult, cpu: dict[str, float], memory: dict[str, dict[str, int]]
) -> bool:
    rps_ratio = app.rps / raw.rps
    p95_ratio = app.p95_us / raw.p95_us
    errors = {
        name: {"non_2xx": r.err_status, "socket": r.socket_errors}
        for name, r in (("raw", raw), ("app", app))
    }
    ok_errors = all(e["non_2xx"] == 0 and e["socket"] == 0 for e in errors.values())
    ok = rps_ratio >= MIN_RPS_RATIO and p95_ratio < MAX_P95_RATIO and ok_errors
    rows = [
        ("", "raw asyncpg", "full app", "app / raw"),
        ("requests/s", f"{raw.rps:.0f}", f"{app.rps:.0f}", f"{rps_ratio:.2f}"),
        ("p50", _ms(raw.p50_us), _ms(app.p50_us), f"{app.p50_us / raw.p50_us:.2f}"),
        ("p95", _ms(raw.p95_us), _ms(app.p95_us), f"{p95_ratio:.2f}"),
        ("p99", _ms(raw.p99_us), _ms(app.p99_us), f"{app.p99_us / raw.p99_us:.2f}"),
        ("requests", f"{raw.requests}", f"{app.requests}", ""),
        ("non-2xx", f"{raw.err_status}", f"{app.err_status}", ""),
        ("socket errors", f"{raw.socket_errors}", f"{app.socket_errors}", ""),
        (
            "server CPU/request",
            f"{cpu['raw'] / raw.requests * 1e3:.2f} ms",
            f"{cpu['app'] / app.requests * 1e3:.2f} ms",
            f"{(cpu['app'] / app.requests) / (cpu['raw'] / raw.requests):.2f}",
        ),
    ]
    print()
    for label, a, b, c in rows:
        print(f"  {label:<20}{a:>14}{b:>14}{c:>12}")
    bar_rps = "PASS" if rps_ratio >= MIN_RPS_RATIO else "FAIL"
    bar_p95 = "PASS" if p95_ratio < MAX_P95_RATIO else "FAIL"
    print(f"\n  throughput ratio {rps_ratio:.2f} (bar ≥ {MIN_RPS_RATIO}): {bar_rps}")
    print(f"  p95 ratio        {p95_ratio:.2f} (bar < {MAX_P95_RATIO}): {bar_p95}")
    print(f"  errors           {'none' if ok_errors else errors}")
    mem = memory["app"]
    print(
        f"  app resident memory after the run: VmRSS {mem['VmRSS'] / 1024:.1f} MiB"
        f" (peak VmHWM {mem['VmHWM'] / 1024:.1f} MiB);"
        f" raw endpoint VmRSS {memory['raw']['VmRSS'] / 1024:.1f} MiB"
    )
    print(f"\n  RESULT: {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per server")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per server")
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

    env = {**os.environ, "DATABASE_URL": db.async_url}
    raw = Server("raw", "bench.raw_app:create_app", env)
    app = Server("app", "app.main:create_app", env)
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
        results: dict[str, WrkResult] = {}
        cpu: dict[str, float] = {}
        for server in (raw, app):
            print(f"[bench] {server.name}: wrk {args.connections} connections, {args.duration} s")
            before = server.cpu_seconds()
            results[server.name] = run_wrk(wrk, server.url, paths_file, **load)
            cpu[server.name] = server.cpu_seconds() - before
        memory = {s.name: s.memory_kib() for s in (raw, app)}
    ok = report(results["raw"], results["app"], cpu, memory)
    summary = {
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "args": vars(args) | {"db_url": make_url(args.db_url).render_as_string(True)},
        "cpus": os.cpu_count(),
        "registry_load_s": loaded_in,
        "same_rows": [same, sampled],
        "results": {k: asdict(v) | {"rps": v.rps} for k, v in results.items()},
        "server_cpu_s": cpu,
        "memory_kib": memory,
        "pass": ok,
    }
    (OUT / "nearby.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
