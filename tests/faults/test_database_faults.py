"""The service keeps answering through a PostgreSQL restart and a statement timeout.

The restart test runs its own small cluster (`.ci/pg`, migrated, no sample data) so
the suite's shared cluster is never stopped; requests go over HTTP to uvicorn.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import psycopg

from app.main import create_app
from app.services.walking import Walking
from app.settings import Settings
from tests.faults.conftest import Cluster
from tests.live import serve

NEARBY = "/v1/facilities/nearby?lon=104.64&lat=30.12&radius_m=2000"


def _until(condition: Callable[[], bool], timeout_s: float = 60) -> None:
    """Wait for `condition` (loaded machines are slow; the asserts below are the test)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the load never reached the expected state")
        time.sleep(0.05)


@dataclass
class Answer:
    at: float
    status: int
    content_type: str
    retry_after: str | None
    seconds: float


def _poll(base_url: str, stop: threading.Event, answers: list[Answer]) -> None:
    with httpx.Client(base_url=base_url, timeout=15) as client:
        while not stop.is_set():
            began = time.monotonic()
            response = client.get(NEARBY)
            answers.append(
                Answer(
                    began,
                    response.status_code,
                    response.headers.get("content-type", ""),
                    response.headers.get("retry-after"),
                    time.monotonic() - began,
                )
            )
            time.sleep(0.02)


def test_a_database_restart_gives_503s_then_recovers_without_a_service_restart(
    own_cluster: Cluster, walking_state: Walking
) -> None:
    settings = Settings(
        database_url=own_cluster.dsn.replace("postgresql://", "postgresql+asyncpg://"),
        cursor_secret="faults",
    )
    answers: list[Answer] = []
    stop = threading.Event()
    with serve(create_app(settings, walking_state=walking_state)) as base_url:
        pollers = [threading.Thread(target=_poll, args=(base_url, stop, answers)) for _ in range(4)]
        for poller in pollers:
            poller.start()
        try:
            _until(lambda: sum(a.status == 200 for a in answers) >= 4)
            down_at = time.monotonic()
            own_cluster.stop()  # returns once the server has shut down
            stopped_at = time.monotonic()
            _until(lambda: sum(a.at > stopped_at for a in answers) >= 4)
            with httpx.Client(base_url=base_url, timeout=15) as client:
                assert client.get("/readyz").status_code == 503
                assert client.get("/healthz").status_code == 200
            restart_at = time.monotonic()
            own_cluster.start()  # returns once the server accepts connections
            up_at = time.monotonic()
            _until(lambda: sum(a.at > up_at and a.status == 200 for a in answers) >= 8)
        finally:
            stop.set()
            for poller in pollers:
                poller.join(30)
        with httpx.Client(base_url=base_url, timeout=15) as client:
            assert client.get("/readyz").status_code == 200

    before = [a for a in answers if a.at + a.seconds < down_at]
    during = [a for a in answers if stopped_at < a.at and a.at + a.seconds < restart_at]
    after = [a for a in answers if a.at > up_at]
    assert before and during and after
    assert {a.status for a in before} == {200}
    assert {a.status for a in answers} <= {200, 503}, "never a 500"
    assert {a.status for a in during} == {503}
    assert all(a.content_type == "application/problem+json" for a in during)
    assert all(a.retry_after for a in during)
    # The longest honest wait is the pool's checkout timeout plus the connect timeout
    # (5 s each, app/db/session.py); more would be a hang.
    assert max(a.seconds for a in answers) < 12, "never a hang"
    first_ok = min(a.at + a.seconds for a in after if a.status == 200)
    assert first_ok - up_at < 10
    recovered = [a for a in after if a.at > first_ok]
    assert recovered and {a.status for a in recovered} == {200}


def test_a_statement_past_the_timeout_is_a_503_and_others_are_served(
    db_dsn: str, settings: Settings, walking_state: Walking
) -> None:
    slow = settings.model_copy(update={"db_statement_timeout_ms": 300})
    with serve(create_app(slow, walking_state=walking_state)) as base_url:
        with psycopg.connect(db_dsn) as locker:
            locker.execute("LOCK TABLE facility IN ACCESS EXCLUSIVE MODE")
            results: dict[str, httpx.Response] = {}

            def blocked() -> None:
                with httpx.Client(base_url=base_url, timeout=15) as client:
                    results["nearby"] = client.get(NEARBY)

            thread = threading.Thread(target=blocked)
            thread.start()
            with httpx.Client(base_url=base_url, timeout=15) as client:
                other = client.get("/v1/regions?level=county")
            thread.join(15)
            locker.rollback()
        assert other.status_code == 200
        answer = results["nearby"]
        assert answer.status_code == 503
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.headers["retry-after"]
        with httpx.Client(base_url=base_url, timeout=15) as client:
            assert client.get(NEARBY).status_code == 200
