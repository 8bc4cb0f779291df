"""Kitchen tickets in the chain carry the order's type and table (local migration 0006 did the same):
the same repository runs on both.

Revision ID: kitchen_0002
Revises: kitchen_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "kitchen_0002"
down_revision = "kitchen_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tickets", sa.Column("order_type", sa.Text, nullable=False, server_default="delivery"))
    op.add_column("tickets", sa.Column("table_no", sa.Integer))


def downgrade() -> None:
    op.drop_column("tickets", "table_no")
    op.drop_column("tickets", "order_type")
