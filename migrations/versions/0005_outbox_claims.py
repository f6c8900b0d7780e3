"""outbox claims

Revision ID: 0005_outbox_claims
Revises: 0004_introductions
Create Date: 2026-11-24 11:01:25.034844

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_outbox_claims'
down_revision = '0004_introductions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')

