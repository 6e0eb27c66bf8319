"""notifications remember when their recipient read them (the in-app inbox)

Revision ID: 0011_staff
Revises: 0010_beheer
Create Date: 2026-12-06 21:00:00

"""
from alembic import op
import sqlalchemy as sa

from server.models.base import UTCDateTime


revision = '0011_staff'
down_revision = '0010_beheer'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('read_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_notifications_user_created', ['user_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_created')
        batch_op.drop_column('read_at')
