"""The service's role may use every table, including those added after it was made.

0004_registry granted `yilao_app` the tables that existed then; the tables of later
migrations (API keys, the changes feed and its counters, residents, favourites,
reports, webhooks) were never granted, so a service running as a role granted
`yilao_app` could not write a facility (the feed's trigger writes `facility_change`).
This grants them all again, keeps audit events append-only, and makes tables and
sequences the migrating role creates from now on granted by default.

Revision ID: 0007_app_role_grants
Revises: 0006_city_keys
"""

from alembic import op

revision = "0007_app_role_grants"
down_revision = "0006_city_keys"
branch_labels = None
depends_on = None

APP_ROLE = "yilao_app"


def upgrade() -> None:
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {APP_ROLE}")
    op.execute(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE}"
    )


def downgrade() -> None:
    op.execute(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM {APP_ROLE}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM {APP_ROLE}"
    )
