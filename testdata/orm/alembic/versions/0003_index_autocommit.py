"""index built concurrently outside the transaction

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index("ix_orders_status", "orders", ["status"], postgresql_concurrently=True, postgresql_where="status <> 'done'")  # want: none
        op.drop_index("ix_users_email", table_name="users", postgresql_concurrently=True)  # want: dropping-index


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index("ix_orders_status", table_name="orders", postgresql_concurrently=True)
