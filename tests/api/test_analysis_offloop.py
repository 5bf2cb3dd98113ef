"""A long analysis runs in a worker thread: the server keeps answering meanwhile."""

from __future__ import annotations

import threading
import time

import httpx

from app.main import create_app
from app.services.analysis_state import AnalysisState
from app.services.walking import Walking
from app.settings import Settings
from tests.live import serve


def test_health_answers_while_a_large_suggestion_is_computed(
    settings: Settings, walking_state: Walking, analysis_state: AnalysisState
) -> None:
    app = create_app(settings, walking_state=walking_state, analysis_state=analysis_state)
    finished: list[str] = []
    with serve(app) as base:

        def suggest() -> None:
            resp = httpx.get(
                f"{base}/v1/analysis/suggestions",
                params={"region": "512021", "kind": "day_care_center", "k": 20},
                timeout=120,
            )
            assert resp.status_code == 200
            finished.append("suggestions")

        worker = threading.Thread(target=suggest)
        worker.start()
        time.sleep(0.1)  # let the request reach its worker thread
        with httpx.Client(base_url=base, timeout=10) as client:
            for _ in range(5):
                assert client.get("/healthz").status_code == 200
        finished.append("health")
        worker.join(120)
    assert finished == ["health", "suggestions"]
