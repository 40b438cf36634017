"""names held in module-level constants

Revision ID: 0008
Revises: 0007
"""
from alembic import op

revision = "0008"
down_revision = "0007"

INDEX_NAME = "ix_orders_total"
TABLE = "orders"


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index(INDEX_NAME, TABLE, ["total"], postgresql_concurrently=True)  # want: none


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index(INDEX_NAME, table_name=TABLE, postgresql_concurrently=True)
