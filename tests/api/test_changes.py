"""The changes feed: a mirror that follows its city's feed stays exactly in step, deletions
included; each city's changes are numbered by the city's own counter."""

from __future__ import annotations

import threading
from typing import Any

import psycopg
from fastapi.testclient import TestClient

from app.settings import Settings
from tests.api.keys import admin_headers, issue_key


def follow(
    client: TestClient, key: dict[str, str], mirror: dict[str, dict[str, Any]], since: int
) -> tuple[int, list[int]]:
    """Apply every change after `since` to `mirror`; the last seq and every seq seen."""
    seen: list[int] = []
    while True:
        page = client.get("/v1/changes", params={"since": since, "limit": 100}, headers=key).json()
        for change in page["changes"]:
            seen.append(change["seq"])
            if change["op"] == "delete":
                mirror.pop(change["id"], None)
            else:
                mirror[change["id"]] = change["facility"]
        since = page["next_since"]
        if not page["more"]:
            return since, seen


ZIYANG, CHENGDU = "512000", "510100"  # 武侯 is 成都's


def live_facilities(db_dsn: str, city_code: str = ZIYANG) -> dict[str, str | None]:
    with psycopg.connect(db_dsn) as conn:
        rows = conn.execute(
            "SELECT public_id, phone FROM facility WHERE deleted_at IS NULL AND city_code = %s",
            [city_code],
        ).fetchall()
    return dict(rows)


def test_a_mirror_stays_in_step_through_edits_and_deletions(
    client: TestClient, settings: Settings, db_dsn: str
) -> None:
    key = {"X-API-Key": issue_key(client, admin_headers(client, settings))["key"]}  # 资阳's
    mirror: dict[str, dict[str, Any]] = {}
    since, seen = follow(client, key, mirror, 0)
    live = live_facilities(db_dsn)
    assert live and live_facilities(db_dsn, CHENGDU)
    assert {k: v["phone"] for k, v in mirror.items()} == live
    assert seen == sorted(seen) and len(set(seen)) == len(seen) == len(live)
    assert since == seen[-1]

    edited, soft_deleted, hard_deleted = sorted(live)[:3]
    elsewhere = sorted(live_facilities(db_dsn, CHENGDU))[0]
    with psycopg.connect(db_dsn) as conn:
        conn.execute("UPDATE facility SET phone = '028-1' WHERE public_id = %s", [elsewhere])
        conn.execute("UPDATE facility SET phone = '028-0000000' WHERE public_id = %s", [edited])
        conn.execute("UPDATE facility SET deleted_at = now() WHERE public_id = %s", [soft_deleted])
        conn.execute("DELETE FROM facility WHERE public_id = %s", [hard_deleted])
        conn.execute(
            """INSERT INTO facility (public_id, name, kinds, location, city_code, data_source,
                   search_tokens)
               VALUES ('f_new000000001', '新开助餐点（示例）', '{meal_point}',
                   'SRID=4326;POINT(104.63 30.12)', '512000', 'test', '')"""
        )
    since_after, seen_after = follow(client, key, mirror, since)
    assert len(seen_after) == 4 and min(seen_after) > since
    assert {k: v["phone"] for k, v in mirror.items()} == live_facilities(db_dsn)
    assert mirror[edited]["phone"] == "028-0000000" and "f_new000000001" in mirror
    assert soft_deleted not in mirror and hard_deleted not in mirror and elsewhere not in mirror
    assert follow(client, key, mirror, since_after) == (since_after, [])


def test_the_feed_needs_an_api_key(client: TestClient) -> None:
    resp = client.get("/v1/changes")
    assert resp.status_code == 401 and resp.headers["content-type"] == "application/problem+json"


def test_numbers_become_visible_in_commit_order(db_dsn: str) -> None:
    """A writer that starts later waits for the earlier one's commit, so a reader never sees
    a higher number while a lower one is still uncommitted."""
    first, second = sorted(live_facilities(db_dsn))[:2]  # in one city
    with psycopg.connect(db_dsn) as early:
        early.execute("UPDATE facility SET phone = 'a' WHERE public_id = %s", [first])

        def late_writer() -> None:
            with psycopg.connect(db_dsn) as late:
                late.execute("UPDATE facility SET phone = 'b' WHERE public_id = %s", [second])

        thread = threading.Thread(target=late_writer)
        thread.start()
        thread.join(timeout=1.0)
        assert thread.is_alive(), "the later writer must wait for the counter"
        with psycopg.connect(db_dsn) as reader:
            top = reader.execute("SELECT max(seq) FROM facility_change").fetchone()
        early.commit()
    thread.join(timeout=10)
    with psycopg.connect(db_dsn) as reader:
        seqs = dict(
            reader.execute(
                "SELECT public_id, seq FROM facility_change WHERE public_id = ANY(%s)",
                [[first, second]],
            ).fetchall()
        )
    assert top is not None and top[0] < seqs[first] < seqs[second]


def test_writers_in_different_cities_do_not_wait_for_each_other(db_dsn: str) -> None:
    """Each city's counter is its own row: a write in 成都 (武侯) goes through while one in 资阳
    is still open, and takes the next number of 成都's sequence."""
    ziyang = sorted(live_facilities(db_dsn))[0]
    wuhou = sorted(live_facilities(db_dsn, CHENGDU))[0]
    with psycopg.connect(db_dsn) as reader:
        top = reader.execute(
            "SELECT seq FROM change_counter WHERE city_code = %s", [CHENGDU]
        ).fetchone()
    with psycopg.connect(db_dsn) as early:
        early.execute("UPDATE facility SET phone = 'a' WHERE public_id = %s", [ziyang])
        with psycopg.connect(db_dsn) as other:
            other.execute("SET lock_timeout = '5s'")
            other.execute("UPDATE facility SET phone = 'b' WHERE public_id = %s", [wuhou])
            other.commit()
            seq = other.execute(
                "SELECT seq FROM facility_change WHERE public_id = %s", [wuhou]
            ).fetchone()
        early.rollback()
    assert top is not None and seq == (top[0] + 1,)
