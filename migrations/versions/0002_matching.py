"""matching index state, dismissals and blocks

Revision ID: 0002_matching
Revises: 0001_accounts_profiles
Create Date: 2026-11-24 03:12:28.720973

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_matching'
down_revision = '0001_accounts_profiles'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('match_index_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('build_id', sa.String(length=32), nullable=False),
    sa.Column('rows_used', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('built_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('rows_used <= capacity', name=op.f('ck_match_index_state_rows_within_capacity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_index_state'))
    )
    op.create_table('blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('blocker_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('blocker_id <> blocked_id', name=op.f('ck_blocks_not_self')),
    sa.ForeignKeyConstraint(['blocked_id'], ['users.id'], name=op.f('fk_blocks_blocked_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['blocker_id'], ['users.id'], name=op.f('fk_blocks_blocker_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocks')),
    sa.UniqueConstraint('blocker_id', 'blocked_id', name=op.f('uq_blocks_blocker_id'))
    )
    with op.batch_alter_table('blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blocks_blocked_id'), ['blocked_id'], unique=False)

    op.create_table('dismissals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('dismissed_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['dismissed_id'], ['users.id'], name=op.f('fk_dismissals_dismissed_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_dismissals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dismissals')),
    sa.UniqueConstraint('user_id', 'dismissed_id', name=op.f('uq_dismissals_user_id'))
    )


def downgrade() -> None:
    op.drop_table('dismissals')
    with op.batch_alter_table('blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blocks_blocked_id'))

    op.drop_table('blocks')
    op.drop_table('match_index_state')
