"""API keys for third-party apps, and the facility changes feed.

api_key: issued by admins, stored only as SHA-256, with scopes and a per-key rate.

facility_change: one row per facility (compacted), carrying the sequence number of its
latest change and whether that change deleted it. Statement-level triggers on
facility assign the numbers from a one-row counter: the counter row stays locked until
the writing transaction commits, so sequence numbers become visible in commit order
and a mirror that reads "everything after N" never skips a change committed late
(a plain sequence would not guarantee that).

Revision ID: 0004_api_keys
Revises: 0004_policy
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0004_api_keys"
down_revision = "0004_registry"  # chained after 0004_registry at merge
branch_labels = None
depends_on = None


def _record(changed: str) -> str:
    """SQL numbering the changed facilities from the counter (locked until commit)."""
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


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False, comment="first characters, to recognise a key"),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False, comment="the organisation the key was issued to"),
        sa.Column("city_code", sa.String(length=12), nullable=False),
        sa.Column("scopes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("rate_per_minute", sa.Integer(), nullable=False),
        sa.Column("burst", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("rate_per_minute > 0 AND burst > 0", name="api_key_positive_rate"),
        sa.CheckConstraint(
            "cardinality(scopes) >= 1 AND scopes <@ ARRAY['read','analysis','write']::text[]",
            name="api_key_scopes",
        ),
        sa.ForeignKeyConstraint(["city_code"], ["region.code"]),
        sa.ForeignKeyConstraint(["created_by"], ["staff_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_sha256"),
    )

    op.create_table(
        "change_counter",
        sa.Column("id", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id", name="change_counter_one_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO change_counter (id, seq) VALUES (true, 0)")
    op.create_table(
        "facility_change",
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("public_id"),
        sa.UniqueConstraint("seq", name="facility_change_seq_key"),
    )
    op.execute(
        f"""
        CREATE FUNCTION facility_change_record() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                {_record("SELECT public_id, deleted_at IS NOT NULL AS deleted FROM new_rows")}
            ELSIF TG_OP = 'UPDATE' THEN
                {_record(
                    "SELECT public_id, deleted_at IS NOT NULL AS deleted FROM new_rows "
                    "UNION ALL SELECT o.public_id, true FROM old_rows o WHERE NOT EXISTS "
                    "(SELECT 1 FROM new_rows r WHERE r.public_id = o.public_id)"
                )}
            ELSE
                {_record("SELECT public_id, true AS deleted FROM old_rows")}
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER facility_change_ins AFTER INSERT ON facility "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION facility_change_record()"
    )
    op.execute(
        "CREATE TRIGGER facility_change_upd AFTER UPDATE ON facility "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION facility_change_record()"
    )
    op.execute(
        "CREATE TRIGGER facility_change_del AFTER DELETE ON facility "
        "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION facility_change_record()"
    )
    # Facilities that exist before this migration enter the feed as changes 1…n.
    op.execute(
        """
        INSERT INTO facility_change (public_id, seq, deleted)
        SELECT public_id, row_number() OVER (ORDER BY id), deleted_at IS NOT NULL FROM facility
        """
    )
    op.execute("UPDATE change_counter SET seq = (SELECT count(*) FROM facility_change)")


    _residents()


def _residents() -> None:
    """Mini-program residents: known only by a hash of their WeChat openid."""
    op.create_table(
        "resident",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("openid_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("openid_sha256"),
    )
    op.create_table(
        "resident_session",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("resident_id", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["resident_id"], ["resident.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_sha256"),
    )
    op.create_table(
        "wechat_login_code",
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("code_sha256"),
    )
    op.create_table(
        "favourite",
        sa.Column("resident_id", sa.BigInteger(), nullable=False),
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["resident_id"], ["resident.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["facility_id"], ["facility.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("resident_id", "facility_id"),
    )
    op.create_table(
        "facility_report",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.Column("resident_id", sa.BigInteger(), nullable=True),
        sa.Column("api_key_id", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('closed','phone_wrong','address_wrong','hours_wrong','price_wrong','other')",
            name="facility_report_kind",
        ),
        sa.CheckConstraint(
            "status IN ('open','in_progress','resolved','rejected')", name="facility_report_status"
        ),
        sa.ForeignKeyConstraint(["facility_id"], ["facility.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resident_id"], ["resident.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["api_key_id"], ["api_key.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("facility_report_queue_ix", "facility_report", ["status", "facility_id"])
    op.create_index("facility_report_resident_ix", "facility_report", ["resident_id"])


def downgrade() -> None:
    for table in ("facility_report", "favourite", "wechat_login_code", "resident_session", "resident"):
        op.drop_table(table)
    op.execute("DROP TRIGGER facility_change_del ON facility")
    op.execute("DROP TRIGGER facility_change_upd ON facility")
    op.execute("DROP TRIGGER facility_change_ins ON facility")
    op.execute("DROP FUNCTION facility_change_record()")
    op.drop_table("facility_change")
    op.drop_table("change_counter")
    op.drop_table("api_key")
