"""The nearby benchmark's verdict: a small table, the bar, memory; and its JSON record."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bench.loadgen import WrkResult

MIN_RPS_RATIO = 0.5
MAX_P95_RATIO = 4.0


@dataclass(frozen=True, slots=True)
class Measured:
    """One server's load run plus what the machine and PostgreSQL did meanwhile."""

    wrk: WrkResult
    server_cpu_s: float
    host_busy: float  # share of all CPUs busy during the run, 0..1
    sessions_opened: int  # new PostgreSQL sessions (connections) during the run

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu_s / max(self.wrk.requests, 1) * 1e3

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"rps": self.wrk.rps}


def _ms(us: float) -> str:
    return f"{us / 1000:.2f} ms"


def verdict(raw: Measured, app: Measured) -> dict[str, Any]:
    rps_ratio = app.wrk.rps / raw.wrk.rps
    p95_ratio = app.wrk.p95_us / raw.wrk.p95_us
    errors = sum(m.wrk.err_status + m.wrk.socket_errors for m in (raw, app))
    return {
        "rps_ratio": rps_ratio,
        "p95_ratio": p95_ratio,
        "errors": errors,
        "pass": rps_ratio >= MIN_RPS_RATIO and p95_ratio < MAX_P95_RATIO and errors == 0,
    }


def print_report(
    raw: Measured, app: Measured, memory: dict[str, dict[str, int]], notes: list[str]
) -> dict[str, Any]:
    v = verdict(raw, app)
    r, a = raw.wrk, app.wrk
    rows = [
        ("", "raw asyncpg", "full app", "app / raw"),
        ("requests/s", f"{r.rps:.0f}", f"{a.rps:.0f}", f"{v['rps_ratio']:.2f}"),
        ("p50", _ms(r.p50_us), _ms(a.p50_us), f"{a.p50_us / r.p50_us:.2f}"),
        ("p95", _ms(r.p95_us), _ms(a.p95_us), f"{v['p95_ratio']:.2f}"),
        ("p99", _ms(r.p99_us), _ms(a.p99_us), f"{a.p99_us / r.p99_us:.2f}"),
        ("requests", str(r.requests), str(a.requests), ""),
        ("non-2xx", str(r.err_status), str(a.err_status), ""),
        ("socket errors", str(r.socket_errors), str(a.socket_errors), ""),
        (
            "server CPU/request",
            f"{raw.cpu_ms_per_request:.2f} ms",
            f"{app.cpu_ms_per_request:.2f} ms",
            f"{app.cpu_ms_per_request / raw.cpu_ms_per_request:.2f}",
        ),
        ("host CPU busy", f"{raw.host_busy:.0%}", f"{app.host_busy:.0%}", ""),
        ("new PG sessions", str(raw.sessions_opened), str(app.sessions_opened), ""),
    ]
    print()
    for note in notes:
        print(f"  {note}")
    print()
    for label, x, y, z in rows:
        print(f"  {label:<20}{x:>14}{y:>14}{z:>12}")
    ok_rps = "PASS" if v["rps_ratio"] >= MIN_RPS_RATIO else "FAIL"
    ok_p95 = "PASS" if v["p95_ratio"] < MAX_P95_RATIO else "FAIL"
    print(f"\n  throughput ratio {v['rps_ratio']:.2f} (bar ≥ {MIN_RPS_RATIO}): {ok_rps}")
    print(f"  p95 ratio        {v['p95_ratio']:.2f} (bar < {MAX_P95_RATIO}): {ok_p95}")
    print(f"  errors           {v['errors']} (bar: 0): {'PASS' if v['errors'] == 0 else 'FAIL'}")
    mem = memory["app"]
    print(
        f"  app resident memory after the run: VmRSS {mem['VmRSS'] / 1024:.1f} MiB"
        f" (peak VmHWM {mem['VmHWM'] / 1024:.1f} MiB);"
        f" raw endpoint VmRSS {memory['raw']['VmRSS'] / 1024:.1f} MiB"
    )
    print(f"\n  RESULT: {'PASS' if v['pass'] else 'FAIL'}")
    return v
