"""match outcomes and outcome models

Revision ID: 0003_outcomes
Revises: 0002_matching
Create Date: 2026-11-24 03:19:10.189507

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0003_outcomes'
down_revision = '0002_matching'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outcome_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feature_names', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('coefficients', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('intercept', sa.Double(), nullable=False),
    sa.Column('outcomes', sa.Integer(), nullable=False),
    sa.Column('positives', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_models'))
    )
    op.create_table('match_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('connected', sa.Boolean(), nullable=False),
    sa.Column('simulated', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_match_outcomes_recipient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requester_id'], ['users.id'], name=op.f('fk_match_outcomes_requester_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_outcomes'))
    )
    with op.batch_alter_table('match_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_outcomes_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_outcomes_requester_id'), ['requester_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('match_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_outcomes_requester_id'))
        batch_op.drop_index(batch_op.f('ix_match_outcomes_created_at'))

    op.drop_table('match_outcomes')
    op.drop_table('outcome_models')
