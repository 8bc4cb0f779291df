"""Initial schema: one group of tables per bounded context, plus the outbox and consumer positions.

Revision ID: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # infra: the outbox is also the shop's event log (live feed resume, mypage timeline)
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("order_id", sa.Integer, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_order_id", "outbox", ["order_id"])
    op.create_table(
        "consumer_positions",
        sa.Column("consumer", sa.String(40), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    # ordering
    op.create_table(
        "menu_items",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name_ko", sa.String(80), nullable=False),
        sa.Column("name_en", sa.String(80), nullable=False),
        sa.Column("category", sa.String(80), nullable=False),
        sa.Column("price", sa.Integer, nullable=False),
        sa.Column("sort", sa.Integer, nullable=False),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_ref", sa.String(64), unique=True),
        sa.Column("customer_name", sa.String(80), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("placed_at", sa.Float, nullable=False),
        sa.Column("scheduled_for", sa.Float),
        sa.Column("gift_status", sa.String(20), nullable=False),
        sa.Column("gift_kind", sa.String(40), nullable=False),
        sa.Column("gift_attempts", sa.Integer, nullable=False),
        sqlite_autoincrement=True,
    )
    # kitchen
    op.create_table(
        "stock",
        sa.Column("item_code", sa.String(40), primary_key=True),
        sa.Column("on_hand", sa.Integer, nullable=False),
    )
    op.create_table(
        "tickets",
        sa.Column("order_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("release_at", sa.Float),
        sa.Column("started_at", sa.Float),
        sa.Column("cooked_at", sa.Float),
        sa.Column("cancelled_at", sa.Float),
    )
    op.create_index("ix_tickets_status", "tickets", ["status"])
    # delivery
    op.create_table(
        "deliveries",
        sa.Column("order_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("customer_name", sa.String(80), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rider", sa.String(80), nullable=False),
        sa.Column("started_at", sa.Float),
        sa.Column("picked_up_at", sa.Float),
        sa.Column("delivered_at", sa.Float),
    )
    op.create_index("ix_deliveries_status", "deliveries", ["status"])
    # gift
    op.create_table(
        "gift_stock",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
    )
    op.create_table(
        "gifts",
        sa.Column("order_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("sent_at", sa.Float),
        sa.Column("cancelled_at", sa.Float),
    )
    # mypage (read model only)
    op.create_table(
        "mypage",
        sa.Column("order_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("customer_name", sa.String(80), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("summary", sa.String(400), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("order_status", sa.String(20), nullable=False),
        sa.Column("ordered_at", sa.Float),
        sa.Column("scheduled_for", sa.Float),
        sa.Column("cook_status", sa.String(20), nullable=False),
        sa.Column("cook_at", sa.Float),
        sa.Column("delivery_status", sa.String(20), nullable=False),
        sa.Column("delivery_at", sa.Float),
        sa.Column("gift_status", sa.String(20), nullable=False),
        sa.Column("gift_kind", sa.String(40), nullable=False),
        sa.Column("gift_at", sa.Float),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("last_position", sa.Integer, nullable=False),
    )
    op.create_index("ix_mypage_phone", "mypage", ["phone"])
    op.create_index("ix_mypage_ordered_at", "mypage", ["ordered_at"])


def downgrade() -> None:
    for table in ("mypage", "gifts", "gift_stock", "deliveries", "tickets", "stock", "orders",
                  "menu_items", "consumer_positions", "outbox"):
        op.drop_table(table)
