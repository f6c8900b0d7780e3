"""outbox back-off

Revision ID: 0007_outbox_backoff
Revises: 0006_outbox_owner
Create Date: 2026-11-24 11:55:49.217404

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_outbox_backoff'
down_revision = '0006_outbox_owner'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.drop_column('next_attempt_at')

