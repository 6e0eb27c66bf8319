"""outbox events carry the request id that caused them (structured logs); a session knows the
identity provider it came from (SSO logout)

Revision ID: 0009_ops
Revises: 0008_resident
Create Date: 2026-12-06 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_ops'
down_revision = '0008_resident'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=64), nullable=True))
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sso_provider', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.drop_column('sso_provider')
    with op.batch_alter_table('outbox_events', schema=None) as batch_op:
        batch_op.drop_column('request_id')
