"""beheerder console: installation-wide retention bounds; a reset second factor must be set up again

Revision ID: 0010_beheer
Revises: 0009_ops
Create Date: 2026-12-06 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_beheer'
down_revision = '0009_ops'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'installation_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('raw_text_days_min', sa.SmallInteger(), nullable=False),
        sa.Column('raw_text_days_max', sa.SmallInteger(), nullable=False),
        sa.Column('retention_months_min', sa.SmallInteger(), nullable=False),
        sa.Column('retention_months_max', sa.SmallInteger(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('mfa_enrol_required', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('mfa_enrol_required')
    op.drop_table('installation_settings')
