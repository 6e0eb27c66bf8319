"""resident feedback: card short codes, youth variant, re-share, batch cards without a visit

Revision ID: 0008_resident
Revises: 0007_themes
"""
from alembic import op
import sqlalchemy as sa

import server.models.base


revision = '0008_resident'
down_revision = '0007_themes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback_links', schema=None) as batch_op:
        batch_op.alter_column('visit_id', existing_type=sa.Uuid(), nullable=True)
        batch_op.add_column(sa.Column('variant', sa.String(length=10), nullable=False, server_default='wmo'))
        batch_op.add_column(sa.Column('code_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reshared_at', server.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_feedback_links_code_hash'), ['code_hash'])
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_variant', sa.String(length=10), nullable=False,
                                      server_default='wmo'))


def downgrade():
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('feedback_variant')
    with op.batch_alter_table('feedback_links', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_feedback_links_code_hash'), type_='unique')
        batch_op.drop_column('reshared_at')
        batch_op.drop_column('code_hash')
        batch_op.drop_column('variant')
        batch_op.alter_column('visit_id', existing_type=sa.Uuid(), nullable=False)
