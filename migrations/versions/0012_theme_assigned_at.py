"""reflection themes remember when they were assigned (published figures count only earlier ones)

Revision ID: 0012_theme_assigned_at
Revises: 0011_staff
Create Date: 2026-12-07 06:15:00

"""
from alembic import op
import sqlalchemy as sa

from server.models.base import UTCDateTime


revision = '0012_theme_assigned_at'
down_revision = '0011_staff'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reflection_themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_at', UTCDateTime(timezone=True), nullable=True))
    # Existing themes count from their reflection's arrival, as the figures assumed until now.
    op.execute(
        'UPDATE reflection_themes SET assigned_at = '
        '(SELECT received_at FROM reflections WHERE reflections.id = reflection_themes.reflection_id)'
    )
    with op.batch_alter_table('reflection_themes', schema=None) as batch_op:
        batch_op.alter_column('assigned_at', existing_type=UTCDateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('reflection_themes', schema=None) as batch_op:
        batch_op.drop_column('assigned_at')
