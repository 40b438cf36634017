"""data migration

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE users SET plan = 'free' WHERE plan IS NULL"))  # want: unbatched-backfill, missing-down-migration
    op.execute("""
        UPDATE users SET plan = 'pro'
        WHERE id IN (SELECT id FROM users WHERE plan = 'free' ORDER BY id LIMIT 1000)
    """)  # want: none
