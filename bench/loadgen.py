"""wrk, the load generator: install it if missing (as root), run it, parse its summary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

LUA_SCRIPT = Path(__file__).with_name("nearby.lua")


@dataclass(frozen=True, slots=True)
class WrkResult:
    """One wrk run, from the script's done() hook. Latencies in microseconds."""

    requests: int
    duration_us: int
    bytes: int
    p50_us: int
    p95_us: int
    p99_us: int
    mean_us: float
    max_us: int
    err_connect: int
    err_read: int
    err_write: int
    err_status: int
    err_timeout: int

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1e6)

    @property
    def socket_errors(self) -> int:
        return self.err_connect + self.err_read + self.err_write + self.err_timeout


def ensure_wrk() -> str:
    """The wrk binary; installed with apt-get (Debian package `wrk`) when missing and root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("bench: wrk is not installed; run `apt-get install -y wrk` as root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(install, env=env, check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("bench: wrk still not found after apt-get install")
    return found


def run_wrk(
    wrk: str,
    base_url: str,
    paths_file: Path,
    *,
    duration_s: int,
    connections: int,
    threads: int,
    script: Path = LUA_SCRIPT,
    headers: Sequence[str] = (),
    script_args: Sequence[str] = (),
) -> WrkResult:
    """Run wrk against `base_url` with a Lua script (the nearby one unless given) and extra
    `Name: value` headers; raises when it prints no result."""
    cmd = [
        wrk,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration_s}s",
        "--timeout=10s",
        f"--script={script}",
        *(f"--header={h}" for h in headers),
        base_url,
        "--",
        str(paths_file),
        str(threads),
        *script_args,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=duration_s + 60)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            return WrkResult(**json.loads(line[len("BENCH ") :]))
    raise RuntimeError(
        f"wrk printed no result (exit {done.returncode}):\n{done.stdout}{done.stderr}"
    )


def combine(rounds: list[WrkResult]) -> WrkResult:
    """Several runs against one server as one: counts add up, percentiles are the median round."""
    if len(rounds) == 1:
        return rounds[0]

    def median(values: list[int]) -> int:
        return sorted(values)[len(values) // 2]

    requests = sum(r.requests for r in rounds)
    return WrkResult(
        requests=requests,
        duration_us=sum(r.duration_us for r in rounds),
        bytes=sum(r.bytes for r in rounds),
        p50_us=median([r.p50_us for r in rounds]),
        p95_us=median([r.p95_us for r in rounds]),
        p99_us=median([r.p99_us for r in rounds]),
        mean_us=sum(r.mean_us * r.requests for r in rounds) / max(requests, 1),
        max_us=max(r.max_us for r in rounds),
        err_connect=sum(r.err_connect for r in rounds),
        err_read=sum(r.err_read for r in rounds),
        err_write=sum(r.err_write for r in rounds),
        err_status=sum(r.err_status for r in rounds),
        err_timeout=sum(r.err_timeout for r in rounds),
    )
