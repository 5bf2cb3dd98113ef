"""Walking networks (nodes, edges) and context layers such as rivers.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import geoalchemy2
from geoalchemy2 import Geometry

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_geospatial_table('map_feature',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('city_code', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('geom', Geometry(srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.ForeignKeyConstraint(['city_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_geospatial_table('walk_edge',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('city_code', sa.String(length=12), nullable=False),
    sa.Column('u', sa.BigInteger(), nullable=False),
    sa.Column('v', sa.BigInteger(), nullable=False),
    sa.Column('length_m', sa.Float(), nullable=False),
    sa.Column('steps', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('kind', sa.Text(), nullable=False, comment='street, bridge, lane, path …'),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='LINESTRING', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.CheckConstraint('length_m >= 0', name='walk_edge_length'),
    sa.ForeignKeyConstraint(['city_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('walk_edge_city_ix', 'walk_edge', ['city_code'], unique=False)
    op.create_geospatial_index('walk_edge_geom_gix', 'walk_edge', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
    op.create_geospatial_table('walk_node',
    sa.Column('city_code', sa.String(length=12), nullable=False),
    sa.Column('node_id', sa.BigInteger(), nullable=False),
    sa.Column('location', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.ForeignKeyConstraint(['city_code'], ['region.code'], ),
    sa.PrimaryKeyConstraint('city_code', 'node_id')
    )


def downgrade() -> None:
    op.drop_geospatial_table('walk_node')
    op.drop_geospatial_index('walk_edge_geom_gix', table_name='walk_edge', postgresql_using='gist', column_name='geom')
    op.drop_index('walk_edge_city_ix', table_name='walk_edge')
    op.drop_geospatial_table('walk_edge')
    op.drop_geospatial_table('map_feature')
