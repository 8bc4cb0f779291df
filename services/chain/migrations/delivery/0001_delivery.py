"""Delivery's table in the chain (as services/local/migrations 0001 made it), and its plumbing.

Revision ID: delivery_0001
"""
import sqlalchemy as sa
from alembic import op

from services.chain.migrations.plumbing import create_plumbing, drop_plumbing

revision = "delivery_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing()
    op.create_table(
        "deliveries",
        sa.Column("order_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("customer_name", sa.Text, nullable=False),
        sa.Column("phone", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("rider", sa.Text, nullable=False),
        sa.Column("started_at", sa.Float(53)),
        sa.Column("picked_up_at", sa.Float(53)),
        sa.Column("delivered_at", sa.Float(53)),
    )
    op.create_index("ix_deliveries_status", "deliveries", ["status"])


def downgrade() -> None:
    op.drop_table("deliveries")
    drop_plumbing()
