"""relations

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.add_column("orders", sa.Column("owner_id", sa.BigInteger(), sa.ForeignKey("users.id", name="orders_owner_fk"), nullable=True))  # want: adding-foreign-key-constraint, statements-after-access-exclusive
    op.create_foreign_key(None, "orders", "users", ["user_id"], ["id"])  # want: adding-foreign-key-constraint
    op.create_foreign_key("orders_user_deferred_fk", "orders", "users", ["user_id"], ["id"], onupdate="CASCADE", deferrable=True, initially="DEFERRED")  # want: adding-foreign-key-constraint
    with op.batch_alter_table("orders") as batch_op:
        batch_op.create_foreign_key("orders_user_batch_fk", "users", ["user_id"], ["id"])  # want: adding-foreign-key-constraint
        batch_op.drop_constraint("orders_user_deferred_fk", type_="foreignkey")
    op.create_table(
        "order_items",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("order_id", sa.BigInteger(), sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),  # want: foreign-key-cascade, foreign-key-missing-index
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="order_items_user_fk"),  # want: foreign-key-missing-index
    )


def downgrade() -> None:
    op.drop_table("order_items")
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_constraint("orders_user_batch_fk", type_="foreignkey")
    op.drop_constraint("orders_user_fkey", "orders", type_="foreignkey")
    op.drop_column("orders", "owner_id")
