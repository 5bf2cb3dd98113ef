"""Core registry: regions, facilities, prices, opening hours.

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa
import geoalchemy2
from geoalchemy2 import Geography
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_geospatial_table('region',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('unit_type', sa.Text(), nullable=True, comment='街道, 镇, 乡, 区, 县 …'),
    sa.Column('parent_code', sa.String(length=12), nullable=True),
    sa.Column('city_code', sa.String(length=12), nullable=False),
    sa.Column('boundary', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('boundary_source', sa.Text(), nullable=True),
    sa.Column('seat', Geography(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeogFromText', name='geography'), nullable=True),
    sa.Column('urban_rural', sa.String(length=5), nullable=True),
    sa.Column('pop_total', sa.Integer(), nullable=True),
    sa.Column('pop_60p', sa.Integer(), nullable=True),
    sa.Column('pop_65p', sa.Integer(), nullable=True),
    sa.Column('pop_0_3', sa.Integer(), nullable=True),
    sa.Column('pop_source', sa.Text(), nullable=True),
    sa.CheckConstraint("level IN ('city','county','township','community')", name='region_level'),
    sa.CheckConstraint("urban_rural IS NULL OR urban_rural IN ('urban','rural')", name='region_ur'),
    sa.ForeignKeyConstraint(['parent_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_geospatial_index('region_boundary_gix', 'region', ['boundary'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index('region_parent_ix', 'region', ['parent_code'], unique=False)
    op.create_geospatial_table('facility',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kinds', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('services', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('operator_name', sa.Text(), nullable=True),
    sa.Column('ownership', sa.Text(), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('location', Geography(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeogFromText', name='geography', nullable=False), nullable=False),
    sa.Column('city_code', sa.String(length=12), nullable=False),
    sa.Column('county_code', sa.String(length=12), nullable=True),
    sa.Column('township_code', sa.String(length=12), nullable=True),
    sa.Column('community_code', sa.String(length=12), nullable=True),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('opening_hours_text', sa.Text(), nullable=True),
    sa.Column('open_24h', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('beds', sa.Integer(), nullable=True),
    sa.Column('nursing_beds', sa.Integer(), nullable=True, comment='护理型床位'),
    sa.Column('childcare_places', sa.Integer(), nullable=True, comment='托位'),
    sa.Column('meals_per_day', sa.Integer(), nullable=True),
    sa.Column('vacant_beds', sa.Integer(), nullable=True),
    sa.Column('vacant_childcare_places', sa.Integer(), nullable=True),
    sa.Column('vacancy_reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('puhui', sa.Boolean(), server_default='false', nullable=False, comment='普惠'),
    sa.Column('puhui_source', sa.Text(), nullable=True),
    sa.Column('puhui_certified_on', sa.Date(), nullable=True),
    sa.Column('elder_min_age_years', sa.SmallInteger(), nullable=True),
    sa.Column('child_min_age_months', sa.SmallInteger(), nullable=True),
    sa.Column('child_max_age_months', sa.SmallInteger(), nullable=True),
    sa.Column('accessibility', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('grade_scale', sa.Text(), nullable=True, comment='star (达州) or level (资阳)'),
    sa.Column('grade_value', sa.SmallInteger(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='open', nullable=False),
    sa.Column('data_source', sa.Text(), nullable=False),
    sa.Column('is_sample', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('last_verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('search_tokens', postgresql.TSVECTOR(), nullable=False),
    sa.Column('extra', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open','suspended','planned','under_construction','closed')", name='facility_status'),
    sa.CheckConstraint('cardinality(kinds) >= 1', name='facility_has_kind'),
    sa.CheckConstraint('child_min_age_months IS NULL OR child_max_age_months IS NULL OR child_min_age_months <= child_max_age_months', name='facility_child_age'),
    sa.CheckConstraint('nursing_beds IS NULL OR beds IS NULL OR nursing_beds <= beds', name='facility_nursing_beds'),
    sa.ForeignKeyConstraint(['city_code'], ['region.code'], ),
    sa.ForeignKeyConstraint(['community_code'], ['region.code'], ),
    sa.ForeignKeyConstraint(['county_code'], ['region.code'], ),
    sa.ForeignKeyConstraint(['township_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('public_id')
    )
    op.create_index('facility_county_ix', 'facility', ['county_code'], unique=False)
    op.create_index('facility_kinds_gin', 'facility', ['kinds'], unique=False, postgresql_using='gin')
    op.create_geospatial_index('facility_location_gix', 'facility', ['location'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_index('facility_search_gin', 'facility', ['search_tokens'], unique=False, postgresql_using='gin')
    op.create_index('facility_services_gin', 'facility', ['services'], unique=False, postgresql_using='gin')
    op.create_index('facility_township_ix', 'facility', ['township_code'], unique=False)
    op.create_table('facility_hours',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('facility_id', sa.BigInteger(), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=False),
    sa.Column('closes', sa.Time(), nullable=False),
    sa.CheckConstraint('opens < closes', name='hours_order'),
    sa.CheckConstraint('weekday BETWEEN 1 AND 7', name='hours_weekday'),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('facility_hours_day_ix', 'facility_hours', ['facility_id', 'weekday'], unique=False)
    op.create_table('facility_price',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('facility_id', sa.BigInteger(), nullable=False),
    sa.Column('item', sa.Text(), nullable=False, comment='e.g. 床位费（护理型）, 午餐, 全日托'),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('puhui', sa.Boolean(), server_default='false', nullable=False),
    sa.CheckConstraint("unit IN ('month','day','meal','hour','once')", name='price_unit'),
    sa.CheckConstraint('amount_fen >= 0', name='price_nonnegative'),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_facility_price_facility_id'), 'facility_price', ['facility_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_facility_price_facility_id'), table_name='facility_price')
    op.drop_table('facility_price')
    op.drop_index('facility_hours_day_ix', table_name='facility_hours')
    op.drop_table('facility_hours')
    op.drop_index('facility_township_ix', table_name='facility')
    op.drop_index('facility_services_gin', table_name='facility', postgresql_using='gin')
    op.drop_index('facility_search_gin', table_name='facility', postgresql_using='gin')
    op.drop_geospatial_index('facility_location_gix', table_name='facility', postgresql_using='gist', column_name='location')
    op.drop_index('facility_kinds_gin', table_name='facility', postgresql_using='gin')
    op.drop_index('facility_county_ix', table_name='facility')
    op.drop_geospatial_table('facility')
    op.drop_index('region_parent_ix', table_name='region')
    op.drop_geospatial_index('region_boundary_gix', table_name='region', postgresql_using='gist', column_name='boundary')
    op.drop_geospatial_table('region')
