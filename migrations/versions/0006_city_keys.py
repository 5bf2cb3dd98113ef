"""City code in every key of the large tables, so the registry can be sharded by city.

Citus (and any sharding by city) needs the distribution column in every primary key,
unique constraint and foreign key between sharded tables. app/db/distribution.py says
which tables are sharded by city_code, which are small reference tables copied to
every node, and which stay on the coordinator; tests/db/test_distribution.py checks the
catalog against Citus's rules. This migration brings the existing tables in line:

- facility: key (id, city_code), public ids unique per (public_id, city_code);
- its children (prices, hours, favourites, reports, staff links, vacancy reports, price
  history) carry the facility's city_code, filled from the facility, and reference
  facility by (facility_id, city_code);
- walk_edge and map_feature: key (city_code, id) (walk_node already was);
- facility_change: key (public_id, city_code); seq unique with city_code;
- audit_event gains city_code: the city whose registry the event concerns.

id comes first in the id-keyed tables so lookups by id alone still use the key's index.

Revision ID: 0006_city_keys
Revises: 0005_webhooks
"""

from alembic import op

revision = "0006_city_keys"
down_revision = "0005_webhooks"
branch_labels = None
depends_on = None

# Each child of facility: (table, its old primary key columns).
CHILDREN = {
    "facility_price": ("id",),
    "facility_hours": ("id",),
    "favourite": ("resident_id", "facility_id"),
    "facility_report": ("id",),
    "staff_facility": ("staff_id", "facility_id"),
    "vacancy_report": ("id",),
    "price_history": ("id",),
}

# The city an audit event concerns, tried in order for events recorded before this
# migration (later ones are written with it).
AUDIT_CITY = [
    "SELECT f.city_code FROM facility f WHERE a.object_type = 'facility' "
    "AND f.public_id = a.object_id",
    "SELECT f.city_code FROM facility_report r JOIN facility f ON f.id = r.facility_id "
    "WHERE a.object_type = 'facility_report' AND r.id::text = a.object_id",
    "SELECT s.city_code FROM staff_account s WHERE a.object_type = 'staff_account' "
    "AND s.id::text = a.object_id",
    "SELECT k.city_code FROM api_key k WHERE a.object_type = 'api_key' "
    "AND k.id::text = a.object_id",
    "SELECT w.city_code FROM webhook w WHERE a.object_type = 'webhook' "
    "AND w.id::text = a.object_id",
    "SELECT b.city_code FROM import_batch b WHERE a.object_type = 'import_batch' "
    "AND b.id::text = a.object_id",
    "SELECT p.city_code FROM policy_ruleset p WHERE a.object_type = 'policy_ruleset' "
    "AND p.id::text = a.object_id",
    "SELECT s.city_code FROM staff_account s WHERE s.id = a.actor_id",
]


def _record_by_city(changed: str) -> str:
    """SQL numbering the changed facilities from their cities' counters (each locked, in
    city order, until commit)."""
    return f"""
        INSERT INTO change_counter (city_code, seq)
            SELECT DISTINCT city_code, 0 FROM ({changed}) c
            ON CONFLICT (city_code) DO NOTHING;
        PERFORM 1 FROM change_counter
            WHERE city_code IN (SELECT city_code FROM ({changed}) c)
            ORDER BY city_code FOR UPDATE;
        WITH c AS ({changed}),
        n AS (SELECT city_code, count(*) AS n FROM c GROUP BY city_code),
        bump AS (
            UPDATE change_counter k SET seq = k.seq + n.n FROM n
            WHERE k.city_code = n.city_code RETURNING k.city_code, k.seq, n.n
        )
        INSERT INTO facility_change (public_id, city_code, seq, deleted, changed_at)
        SELECT c.public_id, c.city_code,
               bump.seq - bump.n
                 + row_number() OVER (PARTITION BY c.city_code ORDER BY c.public_id),
               c.deleted, now()
        FROM c JOIN bump USING (city_code)
        ON CONFLICT (public_id, city_code) DO UPDATE
            SET seq = EXCLUDED.seq, deleted = EXCLUDED.deleted, changed_at = EXCLUDED.changed_at;
    """


def _record_global(changed: str) -> str:
    """0004_api_keys's numbering from the one global counter (for the downgrade)."""
    return f"""
        WITH c AS ({changed}),
        n AS (SELECT count(*) AS n FROM c),
        bump AS (
            UPDATE change_counter SET seq = seq + n.n FROM n WHERE n.n > 0 RETURNING seq, n.n
        )
        INSERT INTO facility_change (public_id, seq, deleted, changed_at)
        SELECT c.public_id, bump.seq - bump.n + row_number() OVER (ORDER BY c.public_id),
               c.deleted, now()
        FROM c CROSS JOIN bump
        ON CONFLICT (public_id) DO UPDATE
            SET seq = EXCLUDED.seq, deleted = EXCLUDED.deleted, changed_at = EXCLUDED.changed_at;
    """


def _change_function(key: tuple[str, ...]) -> str:
    """The statement-level trigger function recording facility changes by `key`: by city
    when the key has city_code, else (downgrade) from the one global counter."""
    record = _record_by_city if "city_code" in key else _record_global
    columns = ", ".join(key)
    same = " AND ".join(f"r.{k} = o.{k}" for k in key)
    old = ", ".join(f"o.{k}" for k in key)
    new_rows = f"SELECT {columns}, deleted_at IS NOT NULL AS deleted FROM new_rows"
    gone = f"SELECT {old}, true FROM old_rows o WHERE NOT EXISTS "
    gone += f"(SELECT 1 FROM new_rows r WHERE {same})"
    return f"""
        CREATE OR REPLACE FUNCTION facility_change_record() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                {record(new_rows)}
            ELSIF TG_OP = 'UPDATE' THEN
                {record(f"{new_rows} UNION ALL {gone}")}
            ELSE
                {record(f"SELECT {columns}, true AS deleted FROM old_rows")}
            END IF;
            RETURN NULL;
        END $$
    """


def upgrade() -> None:
    for table in CHILDREN:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_facility_id_fkey")
    op.execute("ALTER TABLE facility DROP CONSTRAINT facility_pkey")
    op.execute("ALTER TABLE facility ADD CONSTRAINT facility_pkey PRIMARY KEY (id, city_code)")
    op.execute("ALTER TABLE facility DROP CONSTRAINT facility_public_id_key")
    op.execute(
        "ALTER TABLE facility ADD CONSTRAINT facility_public_id_key UNIQUE (public_id, city_code)"
    )
    for table, key in CHILDREN.items():
        op.execute(f"ALTER TABLE {table} ADD COLUMN city_code varchar(12)")
        op.execute(
            f"UPDATE {table} t SET city_code = f.city_code FROM facility f "
            "WHERE f.id = t.facility_id"
        )
        op.execute(f"ALTER TABLE {table} ALTER COLUMN city_code SET NOT NULL")
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {table}_facility_fkey "
            "FOREIGN KEY (facility_id, city_code) REFERENCES facility (id, city_code) "
            "ON DELETE CASCADE"
        )
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey "
            f"PRIMARY KEY ({', '.join(key)}, city_code)"
        )

    for table in ("walk_edge", "map_feature"):
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (city_code, id)")
    op.execute("DROP INDEX walk_edge_city_ix")  # the key now leads with city_code

    op.execute("ALTER TABLE facility_change ADD COLUMN city_code varchar(12)")
    op.execute(
        "UPDATE facility_change c SET city_code = f.city_code FROM facility f "
        "WHERE f.public_id = c.public_id"
    )
    # A facility removed outright leaves only its deletion, whose city is unknown here.
    op.execute("UPDATE facility_change SET city_code = '' WHERE city_code IS NULL")
    op.execute("ALTER TABLE facility_change ALTER COLUMN city_code SET NOT NULL")
    op.execute("ALTER TABLE facility_change DROP CONSTRAINT facility_change_pkey")
    op.execute(
        "ALTER TABLE facility_change ADD CONSTRAINT facility_change_pkey "
        "PRIMARY KEY (public_id, city_code)"
    )
    op.execute("ALTER TABLE facility_change DROP CONSTRAINT facility_change_seq_key")
    op.execute(
        "ALTER TABLE facility_change ADD CONSTRAINT facility_change_seq_key UNIQUE (seq, city_code)"
    )
    # One counter per city, each starting from the global number so that a mirror's
    # `since` stays valid for its city.
    op.execute("ALTER TABLE change_counter DROP CONSTRAINT change_counter_one_row")
    op.execute("ALTER TABLE change_counter DROP CONSTRAINT change_counter_pkey")
    op.execute("ALTER TABLE change_counter ADD COLUMN city_code varchar(12)")
    op.execute(
        """
        INSERT INTO change_counter (id, city_code, seq)
        SELECT true, code, (SELECT seq FROM change_counter WHERE city_code IS NULL)
        FROM (SELECT city_code FROM facility_change
              UNION SELECT code FROM region WHERE level = 'city') AS cities (code)
        """
    )
    op.execute("DELETE FROM change_counter WHERE city_code IS NULL")
    op.execute("ALTER TABLE change_counter DROP COLUMN id")
    op.execute("ALTER TABLE change_counter ALTER COLUMN city_code SET NOT NULL")
    op.execute(
        "ALTER TABLE change_counter ADD CONSTRAINT change_counter_pkey PRIMARY KEY (city_code)"
    )
    op.execute(_change_function(("public_id", "city_code")))

    op.execute("ALTER TABLE audit_event ADD COLUMN city_code varchar(12)")
    op.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change")
    sources = ", ".join(f"({query})" for query in AUDIT_CITY)
    op.execute(f"UPDATE audit_event a SET city_code = COALESCE({sources}, '')")
    op.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_change")
    op.execute("ALTER TABLE audit_event ALTER COLUMN city_code SET NOT NULL")
    op.execute(
        "COMMENT ON COLUMN audit_event.city_code IS "
        "'the city whose registry the event concerns; empty if unknown'"
    )
    op.execute("ALTER TABLE audit_event DROP CONSTRAINT audit_event_pkey")
    op.execute(
        "ALTER TABLE audit_event ADD CONSTRAINT audit_event_pkey PRIMARY KEY (id, city_code)"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE audit_event DROP CONSTRAINT audit_event_pkey")
    op.execute("ALTER TABLE audit_event ADD CONSTRAINT audit_event_pkey PRIMARY KEY (id)")
    op.execute("ALTER TABLE audit_event DROP COLUMN city_code")

    # One global sequence again: the feed is renumbered (mirrors start again from 0).
    op.execute("ALTER TABLE facility_change DROP CONSTRAINT facility_change_seq_key")
    op.execute(
        """
        UPDATE facility_change c SET seq = r.n
        FROM (SELECT public_id, city_code, row_number() OVER (ORDER BY seq, city_code) AS n
              FROM facility_change) r
        WHERE r.public_id = c.public_id AND r.city_code = c.city_code
        """
    )
    op.execute("ALTER TABLE facility_change ADD CONSTRAINT facility_change_seq_key UNIQUE (seq)")
    op.execute("ALTER TABLE facility_change DROP CONSTRAINT facility_change_pkey")
    op.execute("ALTER TABLE facility_change DROP COLUMN city_code")
    op.execute(
        "ALTER TABLE facility_change ADD CONSTRAINT facility_change_pkey PRIMARY KEY (public_id)"
    )
    op.execute("ALTER TABLE change_counter DROP CONSTRAINT change_counter_pkey")
    op.execute("ALTER TABLE change_counter ADD COLUMN id boolean")
    op.execute(
        "INSERT INTO change_counter (id, city_code, seq) "
        "SELECT true, '', (SELECT count(*) FROM facility_change)"
    )
    op.execute("DELETE FROM change_counter WHERE id IS NULL")
    op.execute("ALTER TABLE change_counter DROP COLUMN city_code")
    op.execute("ALTER TABLE change_counter ALTER COLUMN id SET DEFAULT true")
    op.execute("ALTER TABLE change_counter ALTER COLUMN id SET NOT NULL")
    op.execute("ALTER TABLE change_counter ADD CONSTRAINT change_counter_pkey PRIMARY KEY (id)")
    op.execute("ALTER TABLE change_counter ADD CONSTRAINT change_counter_one_row CHECK (id)")
    op.execute(_change_function(("public_id",)))

    op.execute("CREATE INDEX walk_edge_city_ix ON walk_edge (city_code)")
    for table in ("walk_edge", "map_feature"):
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (id)")

    for table, key in CHILDREN.items():
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_facility_fkey")
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {table}_pkey")
        op.execute(f"ALTER TABLE {table} DROP COLUMN city_code")
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({', '.join(key)})"
        )
    op.execute("ALTER TABLE facility DROP CONSTRAINT facility_public_id_key")
    op.execute("ALTER TABLE facility ADD CONSTRAINT facility_public_id_key UNIQUE (public_id)")
    op.execute("ALTER TABLE facility DROP CONSTRAINT facility_pkey")
    op.execute("ALTER TABLE facility ADD CONSTRAINT facility_pkey PRIMARY KEY (id)")
    for table in CHILDREN:
        op.execute(
            f"ALTER TABLE {table} ADD CONSTRAINT {table}_facility_id_fkey "
            "FOREIGN KEY (facility_id) REFERENCES facility (id) ON DELETE CASCADE"
        )
