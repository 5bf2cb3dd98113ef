"""Versioned policy rule sets: each published version of a city's rule file, kept for good.

Revision ID: 0004_policy
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = '0004_policy'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('policy_ruleset',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('city_code', sa.String(length=12), nullable=False),
    sa.Column('city_name_zh', sa.Text(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False, comment='1, 2, … per city, in order of publication'),
    sa.Column('version_label', sa.Text(), nullable=False, comment='the `version` the rule file gives'),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('filename', sa.Text(), nullable=False),
    sa.Column('rule_text', sa.Text(), nullable=False, comment='the TOML rule file, verbatim'),
    sa.Column('content_sha256', sa.String(length=64), nullable=False, comment='SHA-256 of rule_text as UTF-8'),
    sa.Column('published_by', sa.BigInteger(), nullable=True, comment='staff account; NULL for the shipped seed files'),
    sa.Column('published_via', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("published_via IN ('seed','api')", name='policy_ruleset_via'),
    sa.CheckConstraint('version_number >= 1', name='policy_ruleset_number'),
    sa.CheckConstraint('effective_to IS NULL OR effective_to >= effective_from', name='policy_ruleset_dates'),
    sa.ForeignKeyConstraint(['published_by'], ['staff_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('city_code', 'effective_from', name='policy_ruleset_city_start_key'),
    sa.UniqueConstraint('city_code', 'version_label', name='policy_ruleset_city_label_key'),
    sa.UniqueConstraint('city_code', 'version_number', name='policy_ruleset_city_number_key')
    )
    op.execute(
        """
        CREATE FUNCTION policy_ruleset_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'policy_ruleset keeps every version: % refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER policy_ruleset_no_change BEFORE UPDATE OR DELETE ON policy_ruleset "
        "FOR EACH ROW EXECUTE FUNCTION policy_ruleset_is_append_only()"
    )
    op.execute(
        "CREATE TRIGGER policy_ruleset_no_truncate BEFORE TRUNCATE ON policy_ruleset "
        "FOR EACH STATEMENT EXECUTE FUNCTION policy_ruleset_is_append_only()"
    )


def downgrade() -> None:
    op.execute("DROP TABLE policy_ruleset CASCADE")
    op.execute("DROP FUNCTION policy_ruleset_is_append_only()")
