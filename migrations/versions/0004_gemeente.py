"""organisations (gemeenten), their beleidsmedewerkers and invitations; teams.organisation_id

Revision ID: 0004_gemeente
Revises: 0003_privacy_data
Create Date: 2026-12-06 03:40:00

"""
from alembic import op
import sqlalchemy as sa

import server.models.base


revision = '0004_gemeente'
down_revision = '0003_privacy_data'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('k_threshold', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    op.create_table('organisation_memberships',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_organisation_memberships_organisation_id_organisations'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_organisation_memberships_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_memberships')),
    sa.UniqueConstraint('user_id', 'organisation_id',
                        name=op.f('uq_organisation_memberships_user_id_organisation_id'))
    )
    with op.batch_alter_table('organisation_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_memberships_user_id'), ['user_id'], unique=False)

    op.create_table('organisation_invitations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', server.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', server.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'],
                            name=op.f('fk_organisation_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_organisation_invitations_organisation_id_organisations'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_organisation_invitations_token_hash'))
    )
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation_id', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_teams_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_teams_organisation_id_organisations'), 'organisations',
                                    ['organisation_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_teams_organisation_id_organisations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_teams_organisation_id'))
        batch_op.drop_column('organisation_id')
    op.drop_table('organisation_invitations')
    with op.batch_alter_table('organisation_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_memberships_user_id'))
    op.drop_table('organisation_memberships')
    op.drop_table('organisations')
