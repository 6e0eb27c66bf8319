"""k changes apply to future weeks only (issue #15, item 4)

Revision ID: 0003_privacy_data
Revises: 0002_intervisie
Create Date: 2026-12-06 03:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_privacy_data'
down_revision = '0002_intervisie'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('k_before', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('k_since_week', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('k_since_week')
        batch_op.drop_column('k_before')
