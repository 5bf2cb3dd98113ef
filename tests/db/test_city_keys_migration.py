"""Migration 0006_city_keys on a loaded registry: down to 0005 and up again loses no row,
and every child row, audit event and change takes its facility's city."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
from alembic import command
from alembic.config import Config
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
CHILDREN = ("facility_price", "facility_hours", "favourite", "facility_report")
COUNTED = ("facility", *CHILDREN, "facility_change", "audit_event", "walk_edge", "map_feature")


def alembic(db_dsn: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = db_dsn.replace("postgresql://", "postgresql+psycopg://", 1)
    return config


def scalar(conn: psycopg.Connection, query: str | sql.Composed, *params: object) -> Any:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def counts(conn: psycopg.Connection) -> dict[str, int]:
    query = sql.SQL("SELECT count(*) FROM {}")
    return {t: scalar(conn, query.format(sql.Identifier(t))) for t in COUNTED}


def test_down_and_up_again_keeps_every_row_and_gives_each_its_city(db_dsn: str) -> None:
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO resident (openid_sha256) VALUES (repeat('a', 64))")
        conn.execute(
            "INSERT INTO favourite (resident_id, facility_id, city_code) "
            "SELECT r.id, f.id, f.city_code FROM resident r, "
            "(SELECT id, city_code FROM facility ORDER BY id LIMIT 3) f"
        )
        conn.execute(
            "INSERT INTO facility_report (facility_id, city_code, resident_id, kind) "
            "SELECT f.id, f.city_code, r.id, 'closed' FROM resident r, "
            "(SELECT id, city_code FROM facility ORDER BY id DESC LIMIT 2) f"
        )
        before = counts(conn)
        top_seq = scalar(conn, "SELECT max(seq) FROM facility_change")

    command.downgrade(alembic(db_dsn), "0005_webhooks")
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        assert counts(conn) == before
        columns = conn.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_name = 'city_code' AND table_name = ANY(%s)",
            [[*CHILDREN, "audit_event", "facility_change"]],
        ).fetchone()
        assert columns == (0,)
        # Written at 0005, without a city: one about a facility, one about nothing known.
        named = conn.execute(
            "SELECT public_id, city_code FROM facility ORDER BY id LIMIT 1"
        ).fetchone()
        assert named is not None
        conn.execute(
            "INSERT INTO audit_event (action, object_type, object_id) "
            "VALUES ('update', 'facility', %s), ('note', 'x', '1')",
            [named[0]],
        )
        conn.execute("UPDATE facility SET phone = '028-1' WHERE public_id = %s", [named[0]])
        global_seq = scalar(conn, "SELECT seq FROM change_counter")

    command.upgrade(alembic(db_dsn), "head")
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        after = counts(conn)
        assert after == {**before, "audit_event": before["audit_event"] + 2}
        for table in CHILDREN:
            off = sql.SQL(
                "SELECT count(*) FROM {} t JOIN facility f ON f.id = t.facility_id "
                "WHERE t.city_code <> f.city_code"
            )
            assert scalar(conn, off.format(sql.Identifier(table))) == 0, table
        cities = conn.execute(
            "SELECT object_type, city_code FROM audit_event ORDER BY id DESC LIMIT 2"
        ).fetchall()
        assert sorted(cities) == [("facility", named[1]), ("x", "")]
        unknown = conn.execute(
            "SELECT count(*) FROM facility_change c "
            "LEFT JOIN facility f ON (f.public_id, f.city_code) = (c.public_id, c.city_code) "
            "WHERE f.id IS NULL"
        ).fetchone()
        assert unknown == (0,)
        counters = dict(conn.execute("SELECT city_code, seq FROM change_counter").fetchall())
        assert set(counters.values()) == {global_seq} and named[1] in counters

        # The next change in the city continues above every number a mirror has seen.
        conn.execute("UPDATE facility SET phone = '028-2' WHERE public_id = %s", [named[0]])
        seq = scalar(conn, "SELECT seq FROM facility_change WHERE public_id = %s", named[0])
        assert seq == global_seq + 1 > top_seq
