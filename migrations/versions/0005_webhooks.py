"""Webhooks for third-party apps: registrations and their delivery outbox.

webhook: a URL an admin registered for one API key (or for the city), the events it
wants, and its cursor in the changes feed (the last seq delivered). The signing secret
is not stored: it is derived from YLYX_WEBHOOK_SECRET_KEY and `secret_salt` (after a
rotation the previous salt signs too, until `previous_secret_until`).

webhook_delivery: one batch of changes, written before it is sent and re-sent with the
same id and body until the receiver accepts it; at most one is pending per webhook, so
batches reach a receiver in feed order.

Revision ID: 0005_webhooks
Revises: 0004_api_keys
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0005_webhooks"
down_revision = "0004_api_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhook",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("city_code", sa.String(length=12), nullable=False),
        sa.Column("api_key_id", sa.BigInteger(), nullable=True, comment="NULL: the city's own"),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("events", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("secret_salt", sa.LargeBinary(), nullable=False),
        sa.Column("secret_prefix", sa.String(length=16), nullable=False),
        sa.Column("previous_secret_salt", sa.LargeBinary(), nullable=True),
        sa.Column(
            "previous_secret_until",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="a rotated-out secret also signs until then",
        ),
        sa.Column("cursor", sa.BigInteger(), nullable=False, comment="last feed seq delivered"),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "cardinality(events) >= 1 AND events <@ ARRAY['facility.upserted','facility.deleted']::text[]",
            name="webhook_events",
        ),
        sa.ForeignKeyConstraint(["city_code"], ["region.code"]),
        sa.ForeignKeyConstraint(["api_key_id"], ["api_key.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by"], ["staff_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("webhook_city_ix", "webhook", ["city_code"])
    op.create_index("webhook_api_key_ix", "webhook", ["api_key_id"])
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("webhook_id", sa.BigInteger(), nullable=False),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending','delivered','failed')", name="webhook_delivery_status"
        ),
        sa.ForeignKeyConstraint(["webhook_id"], ["webhook.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "webhook_delivery_one_open",
        "webhook_delivery",
        ["webhook_id"],
        unique=True,
        postgresql_where=sa.text("status <> 'delivered'"),
    )
    op.create_index("webhook_delivery_webhook_ix", "webhook_delivery", ["webhook_id", "created_at"])


def downgrade() -> None:
    op.drop_table("webhook_delivery")
    op.drop_table("webhook")
