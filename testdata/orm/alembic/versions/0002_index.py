"""index in the migration's transaction

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_index("ix_users_email", "users", ["email"])  # want: require-concurrent-index-creation
    op.create_index("ix_users_name", "users", ["name"], postgresql_concurrently=True)  # want: concurrently-in-transaction


def downgrade() -> None:
    op.drop_index("ix_users_name", table_name="users")  # want: none
    op.drop_index("ix_users_email", table_name="users")
