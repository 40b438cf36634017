"""rename and drop

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.rename_table("orders", "purchases")  # want: renaming-table
    op.drop_column("users", "notes")  # want: dropping-column, removing-used-object
    op.create_table(  # want: foreign-key-missing-index
        "audit",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.drop_table("audit")  # want: none


def downgrade() -> None:
    pass  # want: empty-down-migration
