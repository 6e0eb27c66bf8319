"""bordsessie: actions.theme_id (for the effect card), team_notes ("Jullie zeiden, wij deden"),
acknowledgements (of shared reflections)

Revision ID: 0005_bordsessie
Revises: 0004_gemeente
"""
from alembic import op
import sqlalchemy as sa

import server.models.base


revision = '0005_bordsessie'
down_revision = '0004_gemeente'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('actions') as batch_op:
        batch_op.add_column(sa.Column('theme_id', sa.String(length=64), nullable=True))
    op.create_table('team_notes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('team_id', sa.Uuid(), nullable=False),
    sa.Column('audience', sa.String(length=12), nullable=False),
    sa.Column('iso_week', sa.String(length=8), nullable=False),
    sa.Column('said', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('said_deidentified', sa.Text(), nullable=True),
    sa.Column('text_deidentified', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', server.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('team_id', 'audience', 'iso_week')
    )

    op.create_table('acknowledgements',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('reflection_id', sa.Uuid(), nullable=False),
    sa.Column('from_user_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_deidentified', sa.Text(), nullable=True),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['from_user_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reflection_id'], ['reflections.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('from_user_id', 'client_id')
    )
    with op.batch_alter_table('acknowledgements') as batch_op:
        batch_op.create_index(batch_op.f('ix_acknowledgements_reflection_id'), ['reflection_id'], unique=False)


def downgrade():
    with op.batch_alter_table('acknowledgements') as batch_op:
        batch_op.drop_index(batch_op.f('ix_acknowledgements_reflection_id'))
    op.drop_table('acknowledgements')
    op.drop_table('team_notes')
    with op.batch_alter_table('actions') as batch_op:
        batch_op.drop_column('theme_id')
