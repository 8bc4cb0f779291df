"""Gift's tables in the chain (as services/local/migrations 0001 made them), and its plumbing.

Revision ID: gift_0001
"""
import sqlalchemy as sa
from alembic import op

from services.chain.migrations.plumbing import create_plumbing, drop_plumbing

revision = "gift_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing()
    op.create_table(
        "gift_stock",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
    )
    op.create_table(
        "gifts",
        sa.Column("order_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("sent_at", sa.Float(53)),
        sa.Column("cancelled_at", sa.Float(53)),
    )


def downgrade() -> None:
    op.drop_table("gifts")
    op.drop_table("gift_stock")
    drop_plumbing()
