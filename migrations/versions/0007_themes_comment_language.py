"""inwoner_feedback.comment_language: the detected language of the resident's comment

Revision ID: 0007_themes
Revises: 0006_privacy_auth
Create Date: 2026-12-06 03:25:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_themes'
down_revision = '0006_privacy_auth'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inwoner_feedback') as batch_op:
        batch_op.add_column(sa.Column('comment_language', sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table('inwoner_feedback') as batch_op:
        batch_op.drop_column('comment_language')
