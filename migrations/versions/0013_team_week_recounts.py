"""team_week_recounts: one team-week recount per backlog, marked in the reflection's transaction

Revision ID: 0013_team_week_recounts
Revises: 0012_theme_assigned_at
Create Date: 2026-12-07 18:40:00

"""

from alembic import op
import sqlalchemy as sa

from server.models.base import UTCDateTime


revision = "0013_team_week_recounts"
down_revision = "0012_theme_assigned_at"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "team_week_recounts",
        sa.Column("team_id", sa.Uuid(), nullable=False),
        sa.Column("iso_week", sa.String(length=8), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("marked_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_week_recounts_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "iso_week", name=op.f("pk_team_week_recounts")),
    )


def downgrade():
    op.drop_table("team_week_recounts")
