"""Public reads go to a real streaming replica; writes and staff reads stay on the primary."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from app.domain.roles import Role
from app.main import create_app
from app.services.walking import Walking
from app.settings import Settings
from tests.faults.conftest import ROOT, Cluster
from tests.live import free_port, serve
from tests.services.staffing import PASSWORD, new_staff

NEARBY = "/v1/facilities/nearby?lon=104.64&lat=30.12&radius_m=2000"


def _add_facility(dsn: str, public_id: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO facility (public_id, name, kinds, location, city_code, data_source, "
            "search_tokens, is_sample) VALUES (%s, '副本测试（示例）', ARRAY['meal_point'], "
            "ST_SetSRID(ST_MakePoint(104.641, 30.121), 4326)::geography, '512000', 'test', "
            "''::tsvector, true)",
            (public_id,),
        )


def _wait_for(dsn: str, query: str, expected: object, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(dsn, autocommit=True, connect_timeout=2) as conn:
                row = conn.execute(query).fetchone()
                if row is not None and row[0] == expected:
                    return
        except psycopg.OperationalError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{query} never gave {expected!r}")


@pytest.fixture
def replica(own_cluster: Cluster) -> Iterator[Cluster]:
    with psycopg.connect(own_cluster.dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO region (code, name, level, city_code) VALUES ('512000', '资阳市', 'city', '512000')"
        )
    standby = Cluster(
        own_cluster.datadir.with_name(own_cluster.datadir.name + "-replica"), free_port()
    )
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    backup = [str(pg_bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(own_cluster.port)]
    backup += ["-U", "postgres", "-D", str(standby.datadir), "-X", "stream", "-R", "-c", "fast"]
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*as_postgres, *backup], check=True, timeout=300)
    standby.start()
    try:
        _wait_for(standby.dsn, "SELECT pg_is_in_recovery()", True)
        yield standby
    finally:
        subprocess.run([str(ROOT / ".ci" / "pg"), "destroy", str(standby.datadir)], timeout=120)


def test_public_reads_use_the_replica_and_staff_paths_the_primary(
    own_cluster: Cluster, replica: Cluster, walking_state: Walking
) -> None:
    primary_db = own_cluster.dsn
    settings = Settings(
        database_url=primary_db,
        replica_database_url=replica.dsn,
        cursor_secret="replica",
    )
    _add_facility(primary_db, "f_replica_a")
    _wait_for(replica.dsn, "SELECT count(*) FROM facility", 1)
    new_staff(settings, "li.admin", Role.city_admin)
    with psycopg.connect(replica.dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
    _add_facility(primary_db, "f_replica_b")  # on the primary only, while replay is paused

    app = create_app(settings, walking_state=walking_state)
    with serve(app) as base_url, httpx.Client(base_url=base_url, timeout=15) as client:
        assert client.get(NEARBY).json()["total"] == 1, "public reads come from the replica"
        token = client.post("/v1/auth/token", json={"username": "li.admin", "password": PASSWORD})
        assert token.status_code == 200, "a write on the primary"
        bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        assert client.get("/v1/auth/me", headers=bearer).status_code == 200, (
            "the token just written is read back from the primary"
        )
        with psycopg.connect(replica.dsn, autocommit=True) as conn:
            conn.execute("SELECT pg_wal_replay_resume()")
        _wait_for(replica.dsn, "SELECT count(*) FROM facility", 2)
        assert client.get(NEARBY).json()["total"] == 2
        assert client.get("/readyz").status_code == 200
        replica.stop()
        assert client.get("/readyz").status_code == 503, "readiness covers the replica"
