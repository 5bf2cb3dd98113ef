"""A small PostgreSQL+PostGIS cluster of a test's own (`.ci/pg`), migrated, no sample
data, so fault tests can stop, restart or replicate it without touching the suite's."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.config import Config

from tests.live import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Cluster:
    datadir: Path
    port: int

    def pg(self, *args: str) -> None:
        subprocess.run([str(ROOT / ".ci" / "pg"), *args], check=True, timeout=120)

    def start(self) -> None:
        self.pg("start", str(self.datadir), str(self.port))

    def stop(self) -> None:
        self.pg("stop", str(self.datadir))

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    if shutil.which("runuser") is None:
        pytest.skip("needs runuser to start PostgreSQL as the postgres user")
    cluster = Cluster(Path("/var/tmp") / f"ylyx-fault-{uuid.uuid4().hex[:8]}", free_port())
    cluster.start()
    try:
        with psycopg.connect(cluster.dsn, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        config = Config(str(ROOT / "alembic.ini"))
        config.set_main_option("script_location", str(ROOT / "migrations"))
        config.attributes["url"] = cluster.dsn.replace("postgresql://", "postgresql+psycopg://")
        command.upgrade(config, "head")
        yield cluster
    finally:
        subprocess.run([str(ROOT / ".ci" / "pg"), "destroy", str(cluster.datadir)], timeout=120)
