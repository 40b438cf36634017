"""constraints

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_foreign_key("orders_user_fk", "orders", "users", ["user_id"], ["id"], ondelete="CASCADE")  # want: adding-foreign-key-constraint, foreign-key-cascade
    op.create_unique_constraint("users_email_key", "users", ["email"])  # want: adding-unique-constraint
    op.create_check_constraint("users_age_check", "users", "age >= 0")  # want: constraint-missing-not-valid


def downgrade() -> None:
    op.drop_constraint("users_age_check", "users", type_="check")
    op.drop_constraint("users_email_key", "users", type_="unique")
    op.drop_constraint("orders_user_fk", "orders", type_="foreignkey")
