"""Structured logs: the service as deployed (uvicorn started from the command line, its
own logging configuration, `YLYX_LOG_FORMAT=json`) writes one JSON object a line, each
request's lines carry its request id, the answer echoes the id, and no line holds the
caller's address or location."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.logs import JsonFormatter, request_id
from app.settings import Settings
from tests.live import free_port

ROOT = Path(__file__).resolve().parents[1]
UVICORN = (sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory")
LON, LAT = "104.6271234", "30.1298765"  # a distinctive point in 雁江区


def _start(settings: Settings, port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "YLYX_CURSOR_SECRET": "test-secret",
        "YLYX_LOG_FORMAT": "json",
    }
    return subprocess.Popen(
        [*UVICORN, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_ready(base: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the service exited during start-up"
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the service did not start")


def test_every_line_is_json_with_the_request_id_and_no_location(settings: Settings) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start(settings, port)
    try:
        _wait_ready(base, proc)
        given = httpx.get(
            f"{base}/v1/facilities/nearby",
            params={"lon": LON, "lat": LAT, "radius_m": 3000},
            headers={"X-Request-ID": "trace-0001-abcd"},
        )
        minted = httpx.get(f"{base}/v1/kinds", headers={"X-Request-ID": 'bad id {"x": 1}'})
        missing = httpx.get(f"{base}/v1/regions/999999")
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)

    assert given.status_code == 200 and given.headers["x-request-id"] == "trace-0001-abcd"
    assert minted.status_code == 200
    assert len(minted.headers["x-request-id"]) == 32  # the unsafe id was replaced
    assert missing.status_code == 404 and missing.headers["x-request-id"]

    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert all({"ts", "level", "logger", "message"} <= line.keys() for line in lines)
    access = {line["request_id"]: line for line in lines if line["logger"] == "uvicorn.access"}
    assert access["trace-0001-abcd"]["path"].startswith("/v1/facilities/nearby?")
    assert access["trace-0001-abcd"]["status"] == 200
    assert access[minted.headers["x-request-id"]]["path"] == "/v1/kinds"
    assert access[missing.headers["x-request-id"]]["status"] == 404
    assert not any("127.0.0.1" in json.dumps(line) for line in access.values())  # caller
    assert not any("\x1b" in json.dumps(line) for line in lines)  # no terminal colours
    assert LON not in output and LAT not in output and "104.627" not in output


def test_the_formatter_names_the_request_and_keeps_extras() -> None:
    record = logging.LogRecord("app.jobs", logging.INFO, __file__, 1, "done %s", ("x",), None)
    record.job = "coverage"
    token = request_id.set("req-12345678")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["message"] == "done x" and line["request_id"] == "req-12345678"
    assert line["job"] == "coverage" and line["level"] == "INFO"
