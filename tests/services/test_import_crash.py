"""Kill the importing process at random moments, many times: afterwards the registry
holds each batch whole or not at all, and the audit trail matches it exactly."""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from app.domain.roles import Role
from app.services.importing import row_public_id
from app.settings import Settings
from tests.services.staffing import new_staff

ROOT = Path(__file__).resolve().parents[2]
ROWS = 3000
KILLS = 12


def batch_file(tmp_path: Path, n: int) -> tuple[Path, list[str]]:
    """A CSV of ROWS meal points on a grid in 雁江区 (GCJ-02), names unique to file n."""
    import hashlib

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["名称", "类型", "经度", "纬度"])
    for i in range(ROWS):
        lon = 104.60 + (i % 60) * 0.0012
        lat = 30.08 + (i // 60) * 0.0012
        writer.writerow([f"批次{n}食堂{i}（示例）", "老年助餐点", f"{lon:.6f}", f"{lat:.6f}"])
    data = out.getvalue().encode()
    path = tmp_path / f"batch{n}.csv"
    path.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    return path, [row_public_id("512000", sha, r) for r in range(2, ROWS + 2)]


def state(dsn: str, ids: list[str]) -> tuple[int, int, int]:
    """(facilities, facility audit events, batch rows) for one file's rows."""
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM facility WHERE public_id = ANY(%(ids)s)),"
            " (SELECT count(*) FROM audit_event WHERE action = 'import'"
            "  AND object_type = 'facility' AND object_id = ANY(%(ids)s)),"
            " (SELECT count(DISTINCT import_batch_id) FROM facility WHERE public_id = ANY(%(ids)s))",
            {"ids": ids},
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def run(settings: Settings, path: Path, staff_id: int, kill_after_s: float | None) -> bool:
    """Run the worker; kill it `kill_after_s` after it starts importing. True if it finished."""
    command = [
        sys.executable,
        "-m",
        "tests.services.import_worker",
        settings.database_url,
        str(path),
        str(staff_id),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env) as worker:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "start"
        if kill_after_s is not None:
            time.sleep(kill_after_s)
            worker.kill()
        worker.communicate(timeout=120)
    return worker.returncode == 0


@pytest.mark.slow
def test_killed_imports_leave_whole_batches_or_nothing(
    settings: Settings, db_dsn: str, tmp_path: Path
) -> None:
    staff_id = new_staff(settings, "crash.admin", Role.city_admin)
    path, ids = batch_file(tmp_path, 0)
    started = time.monotonic()
    assert run(settings, path, staff_id, None)
    duration = time.monotonic() - started
    print("full import", duration)
    complete = state(db_dsn, ids)
    assert complete[0] == complete[1] > 0 and complete[2] == 1
    rng = random.Random(7)
    outcomes = []
    for n in range(1, KILLS + 1):
        path, ids = batch_file(tmp_path, n)
        finished = run(settings, path, staff_id, rng.uniform(0, duration * 1.1))
        facilities, events, batches = state(db_dsn, ids)
        assert (facilities, events, batches) in ((0, 0, 0), complete), (n, facilities, events)
        assert finished == (facilities > 0) or not finished
        outcomes.append(facilities > 0)
        print(n, finished, facilities)
    assert not all(outcomes), "every kill came too late to test anything"
    path, ids = batch_file(tmp_path, 1)
    assert run(settings, path, staff_id, None)
    assert state(db_dsn, ids) == complete
