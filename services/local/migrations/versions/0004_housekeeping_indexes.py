"""Partial indexes for the housekeeping sweep, which runs every 15 s inside the write transaction.

Without them, finding late tickets read every open ticket and finding deferred gifts read every
order ever placed, holding the writer longer as the shop's history grows
(docs/decisions/0022-housekeeping-indexes.md). Each index holds only the rows the sweep looks for (or
may soon), so keeping them costs next to nothing.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_orders_gift_deferred", "orders", ["id"],
                    sqlite_where=sa.text("gift_status = 'deferred'"))
    op.create_index("ix_tickets_open_not_late", "tickets", ["created_at"],
                    sqlite_where=sa.text("status IN ('queued', 'cooking') AND late = 0"))


def downgrade() -> None:
    op.drop_index("ix_tickets_open_not_late", "tickets")
    op.drop_index("ix_orders_gift_deferred", "orders")
