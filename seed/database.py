"""Create the project's database on its local cluster: `python -m seed.database ensure`."""

from __future__ import annotations

import sys

import psycopg
from sqlalchemy.engine import make_url

from app.settings import Settings


def ensure_database(sync_url: str) -> None:
    """Create the database named in the URL (and PostGIS in it) if it does not exist."""
    url = make_url(sync_url)
    admin = url.set(database="postgres", drivername="postgresql")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)
        ).fetchone()
        if not exists:
            conn.execute(
                psycopg.sql.SQL("CREATE DATABASE {}").format(
                    psycopg.sql.Identifier(str(url.database))
                )
            )
    target = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")


if __name__ == "__main__":
    if sys.argv[1:] != ["ensure"]:
        sys.exit("usage: python -m seed.database ensure")
    ensure_database(Settings().sync_database_url)
