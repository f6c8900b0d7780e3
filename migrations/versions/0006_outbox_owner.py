"""outbox owner

Revision ID: 0006_outbox_owner
Revises: 0005_outbox_claims
Create Date: 2026-11-24 11:36:39.742061

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_outbox_owner'
down_revision = '0005_outbox_claims'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_mail_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_mail_user_id_users'), 'users', ['user_id'], ['id'], ondelete='SET NULL')
    # Mail written before this revision belongs to whoever has its address now.
    op.execute("UPDATE outbox_mail SET user_id = "
               "(SELECT users.id FROM users WHERE users.email = outbox_mail.recipient)")


def downgrade() -> None:
    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_mail_user_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_mail_user_id'))
        batch_op.drop_column('user_id')

