"""add columns

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.add_column("users", sa.Column("nickname", sa.String(), nullable=True))  # want: none
    op.add_column("users", sa.Column("phone", sa.String(length=20), nullable=False))  # want: adding-required-column
    op.add_column("users", sa.Column("plan", sa.String(10), nullable=False, server_default="free"))  # want: none
    op.add_column("users", sa.Column("token", postgresql.UUID(), server_default=sa.text("gen_random_uuid()")))  # want: adding-field-with-rewrite


def downgrade() -> None:
    op.drop_column("users", "token")
    op.drop_column("users", "plan")
    op.drop_column("users", "phone")
    op.drop_column("users", "nickname")
