"""Mypage's read model in the chain (as services/local/migrations 0001 made it), its timeline and plumbing.

The timeline holds every event of every order as received, with its stream sequence (the port's
``position`` in the chain); the mypage row is projected from it. Keyed by event id, not by sequence:
a stream rebuilt after a broker lost its store numbers from 1 again.

Revision ID: mypage_0001
"""
import sqlalchemy as sa
from alembic import op

from services.chain.migrations.plumbing import create_plumbing, drop_plumbing

revision = "mypage_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing()
    op.create_table(
        "mypage",
        sa.Column("order_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("customer_name", sa.Text, nullable=False),
        sa.Column("phone", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("order_status", sa.Text, nullable=False),
        sa.Column("ordered_at", sa.Float(53)),
        sa.Column("scheduled_for", sa.Float(53)),
        sa.Column("cook_status", sa.Text, nullable=False),
        sa.Column("cook_at", sa.Float(53)),
        sa.Column("delivery_status", sa.Text, nullable=False),
        sa.Column("delivery_at", sa.Float(53)),
        sa.Column("gift_status", sa.Text, nullable=False),
        sa.Column("gift_kind", sa.Text, nullable=False),
        sa.Column("gift_at", sa.Float(53)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("last_position", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_mypage_phone", "mypage", ["phone"])
    op.create_index("ix_mypage_ordered_at", "mypage", ["ordered_at"])
    op.create_table(
        "timeline",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("at", sa.Float(53), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_timeline_order_id", "timeline", ["order_id", "position"])


def downgrade() -> None:
    op.drop_table("timeline")
    op.drop_table("mypage")
    drop_plumbing()
