"""Dockerfile, compose.yaml and the Makefile start the same service the same way."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SCRIPT_VARIABLES = {"HOST", "PORT", "VENV", "YLYX_LOAD_SAMPLE_CITY", "YLYX_SHARED_DATA"}


def _setting_names() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias if isinstance(alias, str) else f"YLYX_{name.upper()}")
    return names


def _dockerfile() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text("utf-8").replace("\\\n", " ")
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in (raw.strip() for raw in text.splitlines())
        if line and not line.startswith("#")
    ]


def _serve_defaults() -> dict[str, str]:
    text = (ROOT / ".ci" / "serve").read_text("utf-8")
    return dict(re.findall(r"\$\{(\w+):-([^}]*)\}", text))


def test_the_image_is_built_and_started_by_the_readme_scripts() -> None:
    steps = _dockerfile()
    assert sum(1 for op, _ in steps if op == "FROM") >= 2, "multi-stage"
    runs = [arg for op, arg in steps if op == "RUN"]
    assert any(".ci/setup --app-only" in r for r in runs)
    cmd = next(arg for op, arg in steps if op == "CMD")
    assert ".ci/serve" in cmd
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert re.search(r"^run:.*\n\t.*\.ci/serve", makefile, re.M)
    assert re.search(r"^setup:.*\n\t@?\.ci/setup\s*$", makefile, re.M)


def test_the_image_runs_as_a_non_root_user_with_a_health_check() -> None:
    steps = _dockerfile()
    users = [arg for op, arg in steps if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    health = next(arg for op, arg in steps if op == "HEALTHCHECK")
    assert "/readyz" in health or "/healthz" in health


def test_ports_agree_everywhere() -> None:
    steps = _dockerfile()
    exposed = {arg.split("/")[0] for op, arg in steps if op == "EXPOSE"}
    env = dict(pair.split("=", 1) for op, arg in steps if op == "ENV" for pair in shlex.split(arg))
    makefile_port = re.search(r"^PORT \?= (\d+)", (ROOT / "Makefile").read_text(), re.M)
    assert makefile_port is not None
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    published = {p.split(":")[-1] for p in compose["services"]["app"]["ports"]}
    health = next(arg for op, arg in steps if op == "HEALTHCHECK")
    assert (
        exposed
        == {env["PORT"]}
        == published
        == {makefile_port.group(1)}
        == {_serve_defaults()["PORT"]}
        == set(re.findall(r"127\.0\.0\.1:(\d+)", health))
    )


def test_compose_sets_only_settings_the_service_reads() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    app = compose["services"]["app"]
    unknown = set(app["environment"]) - _setting_names() - SCRIPT_VARIABLES
    assert not unknown, unknown
    assert set(_serve_defaults()) <= SCRIPT_VARIABLES
    db = compose["services"]["db"]
    assert db["image"].startswith("postgis/postgis:")
    url = app["environment"]["DATABASE_URL"]
    assert url.startswith("postgresql+asyncpg://")
    assert url.rsplit("/", 1)[1] == db["environment"]["POSTGRES_DB"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
