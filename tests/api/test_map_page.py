"""The map page in a real headless browser (Chromium from the OS packages): it loads, draws
every layer for the sample city, and the run saves a phone-sized screenshot."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from app.main import create_app
from app.services.analysis_state import AnalysisState
from app.services.walking import Walking
from app.settings import Settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAYERS = "boundary,circles,facilities,holes,sites,targets"


@pytest.fixture
def server(
    settings: Settings, walking_state: Walking, analysis_state: AnalysisState
) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(settings, walking_state=walking_state, analysis_state=analysis_state)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(30)


def chromium(*args: str) -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--virtual-time-budget=60000", *args],
        capture_output=True, text=True, timeout=240, check=True,
    )  # fmt: skip
    return done.stdout


def test_the_map_draws_every_layer_for_a_street_on_a_phone(server: str) -> None:
    url = f"{server}/map?region=512002003&kind=meal_point&k=3"
    dom = chromium("--window-size=412,915", "--dump-dom", url)
    assert f'data-loaded="{LAYERS}"' in dom, dom[-2000:]
    assert "资溪街道" in dom and "老年助餐点" in dom
    assert "每千人拥有3岁以下婴幼儿托位数" in dom
    assert "<canvas" in dom  # vector layers are drawn on a canvas (preferCanvas)
    assert dom.count("leaflet-tooltip ") == 3  # the three suggested sites, numbered
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "map_512002003_meal_point.png"
    shot.unlink(missing_ok=True)
    chromium("--window-size=412,915", f"--screenshot={shot}", url)
    assert shot.stat().st_size > 10_000
