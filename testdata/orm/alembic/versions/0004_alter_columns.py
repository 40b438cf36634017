"""alter columns

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")  # want: none
    op.alter_column("users", "age", type_=sa.BigInteger(), existing_type=sa.Integer())  # want: changing-column-type
    op.alter_column("users", "email", existing_type=sa.String(), nullable=False)  # want: setting-not-null
    op.alter_column("users", "name", server_default="anonymous")  # want: none
    op.alter_column("users", "legacy", new_column_name="notes")  # want: renaming-column


def downgrade() -> None:
    op.alter_column("users", "notes", new_column_name="legacy")
    op.alter_column("users", "name", server_default=None)
    op.alter_column("users", "email", existing_type=sa.String(), nullable=True)
    op.alter_column("users", "age", type_=sa.Integer(), existing_type=sa.BigInteger())
