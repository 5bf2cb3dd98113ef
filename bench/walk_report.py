"""The walking benchmark's verdict: coverage/nearby throughput, reach speed-up, memory."""

from __future__ import annotations

import argparse
import os
from typing import Any

from bench.report import Measured
from bench.walk_reach import ReachTiming


def _mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def _http(measured: dict[str, Measured], min_ratio: float) -> dict[str, Any]:
    near, cov = measured["nearby"], measured["coverage"]
    rows = [
        ("", "nearby", "coverage", "cov / near"),
        (
            "requests/s",
            f"{near.wrk.rps:.0f}",
            f"{cov.wrk.rps:.0f}",
            f"{cov.wrk.rps / near.wrk.rps:.2f}",
        ),
        ("p50", f"{near.wrk.p50_us / 1000:.2f} ms", f"{cov.wrk.p50_us / 1000:.2f} ms", ""),
        ("p95", f"{near.wrk.p95_us / 1000:.2f} ms", f"{cov.wrk.p95_us / 1000:.2f} ms", ""),
        ("requests", str(near.wrk.requests), str(cov.wrk.requests), ""),
        ("non-2xx", str(near.wrk.err_status), str(cov.wrk.err_status), ""),
        ("socket errors", str(near.wrk.socket_errors), str(cov.wrk.socket_errors), ""),
        (
            "server CPU/request",
            f"{near.cpu_ms_per_request:.2f} ms",
            f"{cov.cpu_ms_per_request:.2f} ms",
            f"{cov.cpu_ms_per_request / near.cpu_ms_per_request:.2f}",
        ),
        ("host CPU busy", f"{near.host_busy:.0%}", f"{cov.host_busy:.0%}", ""),
    ]
    for label, x, y, z in rows:
        print(f"  {label:<20}{x:>14}{y:>14}{z:>12}")
    ratio = cov.wrk.rps / near.wrk.rps
    errors = sum(m.wrk.err_status + m.wrk.socket_errors for m in (near, cov))
    ok = ratio >= min_ratio and errors == 0
    print(
        f"\n  coverage/nearby throughput {ratio:.2f} (bar ≥ {min_ratio}), errors {errors}:"
        f" {'PASS' if ok else 'FAIL'}"
    )
    return {"rps_ratio": ratio, "errors": errors, "http_pass": ok}


def _reach(reach: list[ReachTiming], min_speedup: float) -> dict[str, Any]:
    print(
        f"  {'city':<8}{'facilities':>11}{'nodes':>8}{'ours':>10}{'networkx':>11}{'speed-up':>10}{'mismatch':>10}"
    )
    for r in reach:
        print(
            f"  {r.city_code:<8}{r.facilities:>11}{r.nodes:>8}{r.ours_s:>9.3f}s{r.networkx_s:>10.3f}s"
            f"{r.networkx_s / r.ours_s:>9.1f}×{r.mismatches:>10}"
        )
    ours = sum(r.ours_s for r in reach)
    theirs = sum(r.networkx_s for r in reach)
    mismatches = sum(r.mismatches for r in reach)
    speedup = theirs / ours
    ok = speedup >= min_speedup and mismatches == 0
    print(
        f"\n  all facilities' reach: ours {ours:.3f} s, networkx {theirs:.3f} s, speed-up"
        f" {speedup:.1f}× (bar ≥ {min_speedup:g}×), {mismatches} differing reaches:"
        f" {'PASS' if ok else 'FAIL'}"
    )
    return {"reach_speedup": speedup, "mismatches": mismatches, "reach_pass": ok}


def print_walking_report(
    reach: list[ReachTiming],
    http: tuple[dict[str, Measured], dict[str, dict[str, int]], int] | None,
    args: argparse.Namespace,
    busy_before: float,
    min_ratio: float,
    min_speedup: float,
) -> dict[str, Any]:
    print(
        f"\n  profile {args.profile}; {os.cpu_count()} CPUs shared by wrk, the server and PostgreSQL"
    )
    if busy_before > 0.1:
        print(f"  CPUs {busy_before:.0%} busy before the run: other work makes figures noisy")
    verdict: dict[str, Any] = {}
    if http is not None:
        measured, memory, kept = http
        print(f"\n  (a) {args.connections} connections, {args.duration} s each, {kept} homes\n")
        verdict |= _http(measured, min_ratio)
    print(
        f"\n  (b) reach within {args.minutes:g} minutes of every facility, app path median of {args.repeat}\n"
    )
    verdict |= _reach(reach, min_speedup)
    if http is not None:
        start, after = memory["started"], memory["after"]
        print(
            f"\n  (c) service resident memory with the networks loaded: VmRSS {_mib(start['VmRSS'])}"
            f" after start-up, {_mib(after['VmRSS'])} after the load (peak VmHWM {_mib(after['VmHWM'])})"
        )
    verdict["pass"] = verdict["reach_pass"] and verdict.get("http_pass", True)
    print(f"\n  RESULT: {'PASS' if verdict['pass'] else 'FAIL'}")
    return verdict
