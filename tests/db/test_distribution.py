"""The migrated schema keeps Citus's rules for sharding by city (app/db/distribution.py).

Citus is not packaged for this OS, so these tests read the real catalog after
`alembic upgrade head` and check what create_distributed_table and
create_reference_table would refuse: a key or unique index of a sharded table without
the distribution column, a foreign key between sharded tables that does not join on it,
or a reference from a reference or coordinator table into a sharded one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest

from app.cli import main
from app.db.distribution import (
    ANCHOR,
    COORDINATOR,
    DISTRIBUTION_COLUMN,
    EXTENSION_TABLES,
    REFERENCE,
    SHARDED,
    citus_script,
)


@dataclass(frozen=True)
class ForeignKey:
    name: str
    table: str
    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]


@pytest.fixture
def catalog(db_dsn: str) -> Iterator[psycopg.Connection]:
    """The catalog of a database migrated to head and loaded with the sample cities."""
    with psycopg.connect(db_dsn) as conn:
        yield conn


def tables(conn: psycopg.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
        "AND relkind IN ('r', 'p')"
    ).fetchall()
    return {r[0] for r in rows}


def unique_indexes(conn: psycopg.Connection) -> list[tuple[str, str, list[str]]]:
    """(table, index, columns) of every unique index, primary keys included."""
    rows = conn.execute(
        """
        SELECT t.relname, i.relname,
               array_agg(a.attname ORDER BY k.n) FILTER (WHERE a.attname IS NOT NULL)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
        LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE x.indisunique AND t.relnamespace = 'public'::regnamespace
        GROUP BY t.relname, i.relname
        """
    ).fetchall()
    return [(t, i, list(cols or [])) for t, i, cols in rows]


def foreign_keys(conn: psycopg.Connection) -> list[ForeignKey]:
    rows = conn.execute(
        """
        SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
               array(SELECT attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                     JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.n ORDER BY o),
               array(SELECT attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                     JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.n ORDER BY o)
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
        """
    ).fetchall()
    return [ForeignKey(n, t, tuple(cols), f, tuple(fcols)) for n, t, f, cols, fcols in rows]


def test_every_table_has_a_place(catalog: psycopg.Connection) -> None:
    placed = [*SHARDED, *REFERENCE, *COORDINATOR, *EXTENSION_TABLES]
    assert len(placed) == len(set(placed)), "a table is placed twice"
    assert tables(catalog) == set(placed)


def test_sharded_tables_carry_a_city_in_every_row(catalog: psycopg.Connection) -> None:
    rows = catalog.execute(
        "SELECT table_name, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'public' AND column_name = %s",
        [DISTRIBUTION_COLUMN],
    ).fetchall()
    nullable = dict(rows)
    assert {t: nullable.get(t) for t in SHARDED} == dict.fromkeys(SHARDED, "NO")


def test_every_key_of_a_sharded_table_includes_the_city(catalog: psycopg.Connection) -> None:
    indexes = [(t, i, cols) for t, i, cols in unique_indexes(catalog) if t in SHARDED]
    assert {t for t, _, _ in indexes} == set(SHARDED), "every sharded table has a key"
    missing = [(t, i, cols) for t, i, cols in indexes if DISTRIBUTION_COLUMN not in cols]
    assert missing == []


def test_foreign_keys_keep_to_citus_rules(catalog: psycopg.Connection) -> None:
    allowed = {
        "sharded": set(SHARDED) | set(REFERENCE),
        "reference": set(REFERENCE),
        "coordinator": set(REFERENCE) | set(COORDINATOR),
    }
    kind = {
        **dict.fromkeys(SHARDED, "sharded"),
        **dict.fromkeys(REFERENCE, "reference"),
        **dict.fromkeys(COORDINATOR, "coordinator"),
    }
    keys = foreign_keys(catalog)
    assert keys, "the catalog query found no foreign keys"
    wrong_target = [k.name for k in keys if k.target not in allowed[kind[k.table]]]
    assert wrong_target == []
    between_shards = [k for k in keys if k.table in SHARDED and k.target in SHARDED]
    assert {k.table for k in between_shards} >= {"facility_price", "favourite", "staff_facility"}
    off_city = [
        k.name
        for k in between_shards
        if (DISTRIBUTION_COLUMN, DISTRIBUTION_COLUMN)
        not in zip(k.columns, k.target_columns, strict=True)
    ]
    assert off_city == []


def test_reference_tables_come_after_those_they_reference(catalog: psycopg.Connection) -> None:
    order = {t: n for n, t in enumerate(REFERENCE)}
    keys = [k for k in foreign_keys(catalog) if k.table in order and k.target != k.table]
    assert keys and all(order[k.target] < order[k.table] for k in keys)


def test_the_citus_script_places_every_table_once() -> None:
    script = citus_script()
    for table in REFERENCE:
        assert script.count(f"create_reference_table('{table}')") == 1
    assert f"create_distributed_table('{ANCHOR}', '{DISTRIBUTION_COLUMN}');" in script
    for table in SHARDED:
        if table != ANCHOR:
            assert (
                f"create_distributed_table('{table}', '{DISTRIBUTION_COLUMN}', "
                f"colocate_with => '{ANCHOR}');" in script
            )
    assert script.index("create_reference_table") < script.index("create_distributed_table")


def test_the_command_prints_the_script(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["citus-script"]) == 0
    assert capsys.readouterr().out == citus_script()
