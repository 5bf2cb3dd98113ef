"""API keys, rate limits and caching cost little: `python -m bench.keys`.

One run, one registry, two single-process uvicorn servers of the same app:
  off: YLYX_RATE_LIMITS_ENABLED=false, requests without a key;
  on:  limits on, every request with an API key (a rate so high that nothing is refused,
       so what is measured is the cost of checking, not the refusing).
1. nearby search (bench/nearby.lua, the same locations) against both, interleaved:
   bar requests/s(on) ≥ 0.85 × requests/s(off).
2. against `on`, the same paths with the key: once with If-None-Match carrying each
   path's ETag (every answer a 304), once without (full answers):
   bar requests/s(304) ≥ 3 × requests/s(full).
Exit status 1 when a bar is not met; the record is in bench/out/keys.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import time
import urllib.request
from pathlib import Path
from typing import Any

import psycopg

from bench import registry, summary
from bench.loadgen import WrkResult, combine, ensure_wrk, run_wrk
from bench.nearby import OUT, background_cpu, ensure_cluster, write_paths
from bench.servers import Server, Servers

MIN_KEYED_RATIO = 0.85
MIN_NOT_MODIFIED_RATIO = 3.0
CONDITIONAL_LUA = Path(__file__).with_name("conditional.lua")


def bench_key(db: registry.BenchDatabase) -> str:
    """A fresh read key with a rate nothing in the run can exhaust (older bench keys go)."""
    key = "ylyx_" + secrets.token_urlsafe(32)
    with psycopg.connect(db.dsn, autocommit=True) as conn:
        conn.execute("DELETE FROM api_key WHERE name = 'bench'")
        conn.execute(
            "INSERT INTO api_key (key_sha256, key_prefix, name, owner, city_code, scopes,"
            " rate_per_minute, burst) VALUES (%s, %s, 'bench', 'bench', %s, '{read}', %s, %s)",
            (
                hashlib.sha256(key.encode()).hexdigest(),
                key[:11],
                registry.REGION_CODE,
                10**9,
                10**9,
            ),
        )
    return key


def etag_lines(server: Server, paths: list[str], key: str) -> list[str]:
    """`path<TAB>etag` for each path, as the keyed server tags it."""
    lines = []
    for path in paths:
        request = urllib.request.Request(server.url + path, headers={"X-API-Key": key})
        with urllib.request.urlopen(request, timeout=10) as response:
            lines.append(f"{path}\t{response.headers['etag']}")
    return lines


def _check(wrk: WrkResult) -> int:
    return wrk.err_status + wrk.socket_errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per load run")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved off/on runs")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rows", type=int, default=registry.DEFAULT_ROWS)
    parser.add_argument("--seed", type=int, default=registry.DEFAULT_SEED)
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--cached-paths", type=int, default=500, help="paths of the 304 run")
    parser.add_argument("--kind", default="day_care_center")
    parser.add_argument("--db-url", default=registry.DEFAULT_URL)
    args = parser.parse_args()

    db = registry.BenchDatabase.parse(args.db_url)
    ensure_cluster(db)
    registry.ensure(db, args.rows, args.seed)
    registry.migrate(db)  # a registry built before the api_key table gets it now
    key = bench_key(db)
    wrk = ensure_wrk()
    OUT.mkdir(parents=True, exist_ok=True)
    paths_file = OUT / "keys-paths.txt"
    write_paths(paths_file, args.points, args.seed + 1, args.kind, 3000, 20)
    paths = paths_file.read_text().splitlines()

    busy_before = background_cpu()
    env = {**os.environ, "DATABASE_URL": db.async_url}
    off = Server("limits-off", "app.main:create_app", {**env, "YLYX_RATE_LIMITS_ENABLED": "false"})
    on = Server("limits-on", "app.main:create_app", env)
    load: dict[str, Any] = {
        "duration_s": args.duration,
        "connections": args.connections,
        "threads": args.threads,
    }
    headers = {"limits-off": [], "limits-on": [f"X-API-Key: {key}"]}
    runs: dict[str, list[WrkResult]] = {"limits-off": [], "limits-on": [], "full": [], "304": []}
    cpu_s: dict[str, float] = dict.fromkeys(runs, 0.0)
    with Servers(off, on):
        off.start(OUT)
        on.start(OUT)
        for server in (off, on):
            run_wrk(
                wrk,
                server.url,
                paths_file,
                **{**load, "duration_s": args.warmup},
                headers=headers[server.name],
            )
        for round_no in range(1, args.rounds + 1):
            for server in (off, on):
                print(f"[bench] round {round_no}/{args.rounds} nearby, {server.name}", flush=True)
                before = server.cpu_seconds()
                runs[server.name].append(
                    run_wrk(wrk, server.url, paths_file, **load, headers=headers[server.name])
                )
                cpu_s[server.name] += server.cpu_seconds() - before
        cond_file = OUT / "keys-conditional.txt"
        cond_file.write_text("\n".join(etag_lines(on, paths[: args.cached_paths], key)) + "\n")
        for round_no in range(1, args.rounds + 1):
            for mode, label in (("full", "full"), ("conditional", "304")):
                print(f"[bench] round {round_no}/{args.rounds} {label} answers", flush=True)
                before = on.cpu_seconds()
                runs[label].append(
                    run_wrk(
                        wrk,
                        on.url,
                        cond_file,
                        **load,
                        script=CONDITIONAL_LUA,
                        headers=headers["limits-on"],
                        script_args=[mode],
                    )
                )
                cpu_s[label] += on.cpu_seconds() - before
    merged = {name: combine(r) for name, r in runs.items()}
    keyed = merged["limits-on"].rps / merged["limits-off"].rps
    cached = merged["304"].rps / merged["full"].rps
    errors = sum(_check(w) for w in merged.values())
    ok = keyed >= MIN_KEYED_RATIO and cached >= MIN_NOT_MODIFIED_RATIO and errors == 0
    print(f"\n  {args.rows:,} facilities; {os.cpu_count()} CPUs shared by wrk, server, PostgreSQL")
    if busy_before > 0.1:
        print(f"  CPUs {busy_before:.0%} busy before the servers started: other work")
    cpu_ms = {n: cpu_s[n] / max(w.requests, 1) * 1e3 for n, w in merged.items()}
    print(f"\n  {'':<28}{'requests/s':>12}{'p50':>10}{'p95':>10}{'server CPU/req':>16}")
    for name, w in merged.items():
        label = {
            "limits-off": "nearby, limits off",
            "limits-on": "nearby, key + limits on",
            "full": "full answers (key)",
            "304": "304 answers (key)",
        }[name]
        print(
            f"  {label:<28}{w.rps:>12.0f}{w.p50_us / 1000:>8.2f}ms{w.p95_us / 1000:>8.2f}ms"
            f"{cpu_ms[name]:>14.3f}ms"
        )
    print(f"\n  key + limits on / off   {keyed:.2f} (bar ≥ {MIN_KEYED_RATIO})")
    print(f"  304 / full              {cached:.2f} (bar ≥ {MIN_NOT_MODIFIED_RATIO})")
    print(
        f"  server CPU/request, key + limits on / off: {cpu_ms['limits-on'] / cpu_ms['limits-off']:.2f}"
        " (what the key check and limiting cost in Python; less noisy than requests/s)"
    )
    print(f"  errors (non-2xx/3xx, socket) {errors} (bar: 0)")
    print(f"\n  RESULT: {'PASS' if ok else 'FAIL'}")
    record = {
        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "args": {k: v for k, v in vars(args).items() if k != "db_url"},
        "cpu_busy_before": busy_before,
        "rps": {name: w.rps for name, w in merged.items()},
        "server_cpu_ms_per_request": cpu_ms,
        "keyed_ratio": keyed,
        "not_modified_ratio": cached,
        "errors": errors,
        "pass": ok,
    }
    (OUT / "keys.json").write_text(json.dumps(record, indent=2) + "\n")
    on_rps, off_rps, full_rps, cached_rps = (
        merged[n].rps for n in ("limits-on", "limits-off", "full", "304")
    )
    summary.write(
        "keys",
        [
            summary.Row(
                "nearby with a key, limits on",
                f"{on_rps:.0f} req/s",
                f"limits off {off_rps:.0f} req/s",
                keyed,
                f"≥ {MIN_KEYED_RATIO}",
                keyed >= MIN_KEYED_RATIO and errors == 0,
            ),
            summary.Row(
                "304 (If-None-Match)",
                f"{cached_rps:.0f} req/s",
                f"full answers {full_rps:.0f} req/s",
                cached,
                f"≥ {MIN_NOT_MODIFIED_RATIO}",
                cached >= MIN_NOT_MODIFIED_RATIO and errors == 0,
            ),
        ],
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
