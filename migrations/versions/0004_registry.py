"""Registry upkeep: operators' facilities, vacancy and price history, import batches,
geocoder cache and quota, and the application role that cannot change audit events.

Revision ID: 0004_registry
Revises: 0004_policy
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0004_registry"
down_revision = "0004_policy"
branch_labels = None
depends_on = None

APP_ROLE = "yilao_app"


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.Text(), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("city_code", sa.String(length=12), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("file_format", sa.String(length=10), nullable=False),
        sa.Column("coordsys", sa.String(length=8), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("report", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["city_code"], ["region.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    op.create_index("import_batch_file_ix", "import_batch", ["city_code", "file_sha256"], unique=True)
    op.add_column("facility", sa.Column("registration_no", sa.Text(), nullable=True, comment="备案 number"))
    op.add_column("facility", sa.Column("photo_urls", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False))
    op.add_column("facility", sa.Column("version", sa.Integer(), server_default="1", nullable=False, comment="bumped by every write; the staff ETag"))
    op.add_column("facility", sa.Column("import_batch_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key("facility_import_batch_id_fkey", "facility", "import_batch", ["import_batch_id"], ["id"])
    op.create_index("facility_registration_ix", "facility", ["registration_no"], unique=False, postgresql_where="registration_no IS NOT NULL")
    op.create_table(
        "staff_facility",
        sa.Column("staff_id", sa.BigInteger(), nullable=False),
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["facility_id"], ["facility.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("staff_id", "facility_id"),
    )
    op.create_table(
        "vacancy_report",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.Column("vacant_beds", sa.Integer(), nullable=True),
        sa.Column("vacant_childcare_places", sa.Integer(), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["facility_id"], ["facility.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("vacancy_report_facility_ix", "vacancy_report", ["facility_id", "reported_at"])
    op.create_table(
        "price_history",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("facility_id", sa.BigInteger(), nullable=False),
        sa.Column("prices", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["facility_id"], ["facility.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("price_history_facility_ix", "price_history", ["facility_id", "valid_from"])
    op.create_table(
        "geocode_cache",
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("provider", "address"),
    )
    op.create_table(
        "geocode_usage",
        sa.Column("provider", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("calls", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("provider", "day"),
    )
    # The role the service runs as (a LOGIN role granted yilao_app): it may write the
    # registry and append audit events, never change or remove them, nor disable the
    # triggers (only the owner may).
    op.execute(
        f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                CREATE ROLE {APP_ROLE} NOLOGIN;
            END IF;
        END $$
        """
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {APP_ROLE}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {APP_ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {APP_ROLE}")
    op.drop_table("geocode_usage")
    op.drop_table("geocode_cache")
    op.drop_index("price_history_facility_ix", table_name="price_history")
    op.drop_table("price_history")
    op.drop_index("vacancy_report_facility_ix", table_name="vacancy_report")
    op.drop_table("vacancy_report")
    op.drop_table("staff_facility")
    op.drop_index("facility_registration_ix", table_name="facility")
    op.drop_constraint("facility_import_batch_id_fkey", "facility", type_="foreignkey")
    for column in ("import_batch_id", "version", "photo_urls", "registration_no"):
        op.drop_column("facility", column)
    op.drop_index("import_batch_file_ix", table_name="import_batch")
    op.drop_table("import_batch")
