"""Walking benchmarks on the sample city database: `python -m bench.walking`.

(a) Point coverage (`GET /v1/coverage`) over HTTP at 16 connections against nearby search
(`GET /v1/facilities/nearby`, default radius and page) on the same server, the same homes
and the same run: bar coverage requests/s ≥ 0.5 × nearby's, with no errors.
(b) Every facility's reach for the whole sample city, the app's path
(`geo.walk.reach_many`, compiled Dijkstra) against networkx facility by facility (bench/walk_reach.py), with
identical results: bar ≥ 20× faster.
(c) The service's resident memory with the networks loaded (VmRSS after start-up and after
the load; VmHWM = peak).
Exit status 1 when a bar is missed. Uses bench.loadgen (wrk), bench.servers (uvicorn) and
the nearby bench's measurement helpers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
import urllib.error
import urllib.request
from dataclasses import asdict
from pathlib import Path
from typing import Any

import psycopg

from app.db.session import create_engine
from app.services.walking import Walking, load_walking
from app.settings import Settings
from bench import registry, summary
from bench.loadgen import ensure_wrk, run_wrk
from bench.nearby import OUT, background_cpu, ensure_cluster, measure, merge
from bench.report import Measured
from bench.servers import Server, Servers
from bench.walk_reach import ReachTiming, time_city
from bench.walk_report import print_walking_report
from geo.walk import snap_many
from seed.database import ensure_database
from seed.loader import is_loaded, load_sample_cities

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:54329/ylyx_bench_sample"
MIN_RPS_RATIO = 0.5
MIN_REACH_SPEEDUP = 20.0
JITTER_M = 200.0


def ensure_sample(db: registry.BenchDatabase) -> None:
    """The database migrated and holding the sample cities (loaded once, then reused)."""
    ensure_database(db.sync_url)
    registry.migrate(db)
    if not is_loaded(db.sync_url):
        print("[bench] loading the sample cities …", flush=True)
        load_sample_cities(db.sync_url)


def facility_points(db: registry.BenchDatabase) -> dict[str, list[tuple[float, float]]]:
    """Live facilities' (lon, lat) per city, in id order."""
    out: dict[str, list[tuple[float, float]]] = {}
    with psycopg.connect(db.dsn) as conn:
        for city, lon, lat in conn.execute(
            "SELECT city_code, ST_X(location::geometry), ST_Y(location::geometry) FROM facility"
            " WHERE deleted_at IS NULL AND status <> 'closed' ORDER BY city_code, public_id"
        ):
            out.setdefault(city, []).append((float(lon), float(lat)))
    return out


def homes(points: dict[str, list[tuple[float, float]]], count: int, seed: int) -> list[str]:
    """`count` home coordinates: random facilities moved up to JITTER_M metres (lon,lat text)."""
    rng = random.Random(seed)
    pool = [p for city in sorted(points) for p in points[city]]
    out = []
    for lon, lat in rng.sample(pool, min(count, len(pool))):
        dx, dy = (rng.uniform(-JITTER_M, JITTER_M) for _ in range(2))
        out.append(f"lon={lon + dx / 96_000:.6f}&lat={lat + dy / 111_000:.6f}")
    return out


def load_networks(db: registry.BenchDatabase) -> Walking:
    """The networks as the app loads them at start-up."""
    settings = Settings(database_url=db.async_url)

    async def build() -> Walking:
        engine = create_engine(settings)
        try:
            return await load_walking(
                engine,
                settings.config_dir,
                max_snap_m=settings.walk_max_snap_m,
                max_search_minutes=settings.walk_max_search_minutes,
                max_contour_minutes=settings.walk_max_contour_minutes,
            )
        finally:
            await engine.dispose()

    return asyncio.run(build())


def time_reaches(
    db: registry.BenchDatabase, profile_code: str, minutes: float, repeat: int
) -> list[ReachTiming]:
    walking = load_networks(db)
    points = facility_points(db)
    out = []
    for code, city in sorted(walking.cities.items()):
        profile = city.profiles[profile_code]
        snaps = snap_many(
            city.network,
            points.get(code, []),
            max_distance_m=walking.max_snap_m,
            avoid_steps=profile.avoid_steps,
        )
        origins = [s for s in snaps if s is not None]
        print(f"[bench] reach: city {code}, {len(origins)} facilities, {minutes:g} min", flush=True)
        out.append(time_city(code, city.network, profile, origins, minutes * 60.0, repeat))
    return out


def answering(server: Server, paths: list[str]) -> list[str]:
    """The paths the server answers with 200 (homes outside every city or road are dropped)."""
    ok = []
    for path in paths:
        try:
            with urllib.request.urlopen(server.url + path, timeout=30) as response:
                if response.status == 200:
                    ok.append(path)
        except urllib.error.HTTPError:
            continue
    return ok


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def http_runs(
    db: registry.BenchDatabase, args: argparse.Namespace
) -> tuple[dict[str, Measured], dict[str, dict[str, int]], int]:
    """(measured per endpoint, memory at start and after, homes used)."""
    wrk = ensure_wrk()
    env = {**os.environ, "DATABASE_URL": db.async_url}
    app = Server("walking-app", "app.main:create_app", env)
    load: dict[str, Any] = {"connections": args.connections, "threads": args.threads}
    with Servers(app):
        app.start(OUT, ready_timeout_s=180)
        memory = {"started": app.memory_kib()}
        print(f"[bench] app pid {app.pid} at {app.url}; checking homes", flush=True)
        chosen = homes(facility_points(db), args.homes, args.seed)
        coverage = answering(app, [f"/v1/coverage?{h}&profile={args.profile}" for h in chosen])
        kept = [p.split("?", 1)[1].rsplit("&profile", 1)[0] for p in coverage]
        files = {
            "nearby": write(
                OUT / "walking-nearby-paths.txt", [f"/v1/facilities/nearby?{h}" for h in kept]
            ),
            "coverage": write(OUT / "walking-coverage-paths.txt", coverage),
        }
        for name, paths_file in files.items():
            print(f"[bench] warm-up {name} {args.warmup} s", flush=True)
            run_wrk(wrk, app.url, paths_file, duration_s=args.warmup, **load)
        rounds: dict[str, list[Measured]] = {"nearby": [], "coverage": []}
        for round_no in range(1, args.rounds + 1):
            for name, paths_file in files.items():
                print(
                    f"[bench] round {round_no}/{args.rounds} {name}: {args.duration} s", flush=True
                )
                rounds[name].append(
                    measure(wrk, app, db, paths_file, load | {"duration_s": args.duration})
                )
        memory["after"] = app.memory_kib()
    return {k: merge(v) for k, v in rounds.items()}, memory, len(kept)


def summary_rows(
    reach: list[ReachTiming],
    http: tuple[dict[str, Measured], dict[str, dict[str, int]], int] | None,
    verdict: dict[str, Any],
    minutes: float,
) -> list[summary.Row]:
    """The bench.all table rows: coverage vs nearby, reach vs networkx, memory."""
    ours = sum(r.ours_s for r in reach)
    theirs = sum(r.networkx_s for r in reach)
    rows = []
    if http is not None:
        measured = http[0]
        cov, near = measured["coverage"].wrk.rps, measured["nearby"].wrk.rps
        rows.append(
            summary.Row(
                "walking",
                f"coverage {cov:.0f} req/s",
                f"nearby {near:.0f} req/s",
                cov / near,
                f"≥ {MIN_RPS_RATIO}, 0 errors",
                bool(verdict["http_pass"]),
            )
        )
    rows.append(
        summary.Row(
            "walking",
            f"every facility's {minutes:g}-min reach {ours:.3f} s CPU",
            f"networkx {theirs:.3f} s CPU",
            theirs / ours,
            f"≥ {MIN_REACH_SPEEDUP:g}× faster, same reaches",
            bool(verdict["reach_pass"]),
        )
    )
    if http is not None:
        rss = http[1]["started"]["VmRSS"] / 1024
        rows.append(
            summary.Row(
                "walking", f"VmRSS {rss:.1f} MiB, networks loaded", "", None, "reported", True
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per endpoint")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1, help="interleaved nearby/coverage runs")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--homes", type=int, default=400, help="distinct home locations")
    parser.add_argument("--profile", default="older")
    parser.add_argument("--minutes", type=float, default=15.0, help="reach cutoff")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the app's reach path")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db-url", default=DEFAULT_URL)
    parser.add_argument("--skip-http", action="store_true", help="only the reach timing")
    args = parser.parse_args()

    db = registry.BenchDatabase.parse(args.db_url)
    ensure_cluster(db)
    ensure_sample(db)
    OUT.mkdir(parents=True, exist_ok=True)
    busy_before = background_cpu()
    reach = time_reaches(db, args.profile, args.minutes, args.repeat)
    http = None if args.skip_http else http_runs(db, args)
    verdict = print_walking_report(reach, http, args, busy_before, MIN_RPS_RATIO, MIN_REACH_SPEEDUP)
    record = {
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "args": vars(args),
        "cpus": os.cpu_count(),
        "cpu_busy_before": busy_before,
        "reach": [asdict(r) for r in reach],
        "http": None if http is None else {k: m.as_json() for k, m in http[0].items()},
        "memory_kib": None if http is None else http[1],
        "verdict": verdict,
    }
    (OUT / "walking.json").write_text(json.dumps(record, indent=2, default=str) + "\n")
    summary.write("walking", summary_rows(reach, http, verdict, args.minutes))
    return 0 if verdict["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
