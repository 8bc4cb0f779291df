"""Ordering in the chain gains what local migration 0006 gave the shop: the order's type (orders read
as deliveries before it) and the manager's menu (availability, printer, categories). The same
repository runs on both, so the same columns.

Revision ID: ordering_0002
Revises: ordering_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "ordering_0002"
down_revision = "ordering_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("order_type", sa.Text, nullable=False, server_default="delivery"))
    op.add_column("orders", sa.Column("table_no", sa.Integer))
    op.add_column("orders", sa.Column("guests", sa.Integer, nullable=False, server_default="0"))
    op.add_column("menu_items", sa.Column("available", sa.Integer, nullable=False, server_default="1"))
    op.add_column("menu_items", sa.Column("printer", sa.Text, nullable=False, server_default=""))
    op.add_column("menu_items", sa.Column("category_code", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "menu_categories",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("name_ko", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("sort", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("menu_categories")
    for column in ("available", "printer", "category_code"):
        op.drop_column("menu_items", column)
    for column in ("order_type", "table_no", "guests"):
        op.drop_column("orders", column)
