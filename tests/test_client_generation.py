"""A typed Python client can be generated from the OpenAPI document (openapi-python-client),
imports, and talks to the real service."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.main import create_app
from app.services.walking import Walking
from app.settings import Settings
from tests.live import serve

CONFIG = """\
project_name_override: ylyx-client
package_name_override: ylyx_client
post_hooks: []
content_type_overrides:
  application/vnd.mapbox-vector-tile: application/octet-stream
"""


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[Path]:
    app = create_app(Settings(database_url="postgresql+asyncpg://unused@127.0.0.1:1/unused"))
    (tmp_path / "openapi.json").write_text(json.dumps(app.openapi()), "utf-8")
    (tmp_path / "config.yaml").write_text(CONFIG, "utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            "openapi.json",
            "--config",
            "config.yaml",
            "--meta",
            "none",
            "--output-path",
            "ylyx_client",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path / "ylyx_client"
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == "ylyx_client" or m.startswith("ylyx_client.")]:
            del sys.modules[name]


def test_a_generated_client_calls_the_service(
    generated: Path, settings: Settings, walking_state: Walking
) -> None:
    client_module = importlib.import_module("ylyx_client")
    services = importlib.import_module("ylyx_client.api.hsds.hsds_services")
    kinds = importlib.import_module("ylyx_client.api.vocabulary.list_kinds")
    operations = {p.stem for p in (generated / "api").glob("*/*.py") if p.stem != "__init__"}
    assert {"nearby_facilities", "facility_tile", "hsds_services", "get_facility"} <= operations
    with (
        serve(create_app(settings, walking_state)) as base_url,
        client_module.Client(base_url=base_url) as client,
    ):
        page = services.sync(client=client, city="512000", per_page=3)
        assert page.total_items > 3 and len(page.contents) == 3
        assert "（示例）" in page.contents[0]["name"]
        assert kinds.sync_detailed(client=client).status_code == 200
