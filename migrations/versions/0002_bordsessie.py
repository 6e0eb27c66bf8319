"""actions.theme_id: the theme a bordsessie action answers (for its effect card)

Revision ID: 0002_bordsessie
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_bordsessie'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('actions') as batch_op:
        batch_op.add_column(sa.Column('theme_id', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('actions') as batch_op:
        batch_op.drop_column('theme_id')
