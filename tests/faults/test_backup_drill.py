"""The backup drill (bench/backup_drill.py) restores to a recorded time with nothing lost."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
import pytest

from bench.backup_drill import checksums, drill


def test_checksums_see_a_one_character_change(db_dsn: str) -> None:
    before = checksums(db_dsn)
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute(
            "UPDATE facility SET phone = phone || '1' WHERE id = (SELECT min(id) FROM facility)"
        )
    after = checksums(db_dsn)
    assert {n for n in before if before[n] != after[n]} == {"facility"}


@pytest.mark.skipif(
    os.geteuid() == 0 and shutil.which("runuser") is None, reason="needs runuser as root"
)
def test_point_in_time_recovery_loses_nothing_before_the_recorded_time() -> None:
    result = drill(Path("/var/tmp") / f"ylyx-drill-{uuid.uuid4().hex[:8]}", load_sample_city=False)
    assert result.differing == ()
    assert result.matching
    assert result.tables >= 10
