"""Ordering's tables in the chain (as services/local/migrations 0001-0004 made them), and its plumbing.

Revision ID: ordering_0001
"""
import sqlalchemy as sa
from alembic import op

from services.chain.migrations.plumbing import create_plumbing, drop_plumbing

revision = "ordering_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing()
    op.create_table(
        "menu_items",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("name_ko", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("price", sa.Integer, nullable=False),
        sa.Column("sort", sa.Integer, nullable=False),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("client_ref", sa.Text, unique=True),
        sa.Column("customer_name", sa.Text, nullable=False),
        sa.Column("phone", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("placed_at", sa.Float(53), nullable=False),
        sa.Column("scheduled_for", sa.Float(53)),
        sa.Column("gift_status", sa.Text, nullable=False),
        sa.Column("gift_kind", sa.Text, nullable=False),
        sa.Column("gift_attempts", sa.Integer, nullable=False),
    )
    op.create_index("ix_orders_gift_deferred", "orders", ["id"],
                    postgresql_where=sa.text("gift_status = 'deferred'"))


def downgrade() -> None:
    op.drop_table("orders")
    op.drop_table("menu_items")
    drop_plumbing()
