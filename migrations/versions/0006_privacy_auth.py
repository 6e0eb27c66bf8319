"""login throttles per e-mail address and address or device

Revision ID: 0006_privacy_auth
Revises: 0005_bordsessie
Create Date: 2026-12-06 03:10:00

"""
from alembic import op
import sqlalchemy as sa

import server.models.base


revision = '0006_privacy_auth'
down_revision = '0005_bordsessie'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttles',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', server.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_failure_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttles'))
    )
    with op.batch_alter_table('login_throttles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttles_last_failure_at'), ['last_failure_at'], unique=False)


def downgrade():
    with op.batch_alter_table('login_throttles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttles_last_failure_at'))
    op.drop_table('login_throttles')
