"""Kitchen's tables in the chain (as services/local/migrations 0001-0004 made them), and its plumbing.

``late`` is an integer 0/1, as in SQLite: the repository compares it with 0.

Revision ID: kitchen_0001
"""
import sqlalchemy as sa
from alembic import op

from services.chain.migrations.plumbing import create_plumbing, drop_plumbing

revision = "kitchen_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing()
    op.create_table(
        "stock",
        sa.Column("item_code", sa.Text, primary_key=True),
        sa.Column("on_hand", sa.Integer, nullable=False),
    )
    op.create_table(
        "tickets",
        sa.Column("order_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float(53), nullable=False),
        sa.Column("release_at", sa.Float(53)),
        sa.Column("started_at", sa.Float(53)),
        sa.Column("cooked_at", sa.Float(53)),
        sa.Column("cancelled_at", sa.Float(53)),
        sa.Column("late", sa.SmallInteger, nullable=False, server_default="0"),
    )
    op.create_index("ix_tickets_status", "tickets", ["status"])
    op.create_index("ix_tickets_open_not_late", "tickets", ["created_at"],
                    postgresql_where=sa.text("status IN ('queued', 'cooking') AND late = 0"))


def downgrade() -> None:
    op.drop_table("tickets")
    op.drop_table("stock")
    drop_plumbing()
