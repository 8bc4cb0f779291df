"""A point of sale: order types (orders, tickets), the manager's menu (categories, availability,
printer per item) and the payments context's own tables (bills, tenders, refunds, business days).

Rows written before this revision read as they always did: every order a delivery, every item
available, each menu category taken from the items' ``category`` labels ("찌개 Stews"). Orders taken
before it have no bill: the payments consumer starts at the end of the event log.

Revision ID: 0006
Revises: 0005
"""
import re

from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "menu"


def upgrade() -> None:
    # ordering and kitchen: the order's type
    for table in ("orders", "tickets"):
        op.add_column(table, sa.Column("order_type", sa.String(20), nullable=False, server_default="delivery"))
        op.add_column(table, sa.Column("table_no", sa.Integer))
    op.add_column("orders", sa.Column("guests", sa.Integer, nullable=False, server_default="0"))
    # ordering: the manager's menu
    op.add_column("menu_items", sa.Column("available", sa.Integer, nullable=False, server_default="1"))
    op.add_column("menu_items", sa.Column("printer", sa.String(40), nullable=False, server_default=""))
    op.add_column("menu_items", sa.Column("category_code", sa.String(40), nullable=False, server_default=""))
    op.create_table(
        "menu_categories",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name_ko", sa.String(80), nullable=False),
        sa.Column("name_en", sa.String(80), nullable=False),
        sa.Column("sort", sa.Integer, nullable=False),
    )
    conn = op.get_bind()
    labels = [row[0] for row in conn.execute(sa.text("SELECT category, min(sort) FROM menu_items"
                                                     " GROUP BY category ORDER BY min(sort)"))]
    for sort, label in enumerate(labels):
        name_ko, _, name_en = label.partition(" ")
        code = _slug(name_en or name_ko)
        conn.execute(sa.text("INSERT OR IGNORE INTO menu_categories (code, name_ko, name_en, sort)"
                             " VALUES (:code, :ko, :en, :sort)"),
                     {"code": code, "ko": name_ko, "en": name_en or name_ko, "sort": sort})
        conn.execute(sa.text("UPDATE menu_items SET category_code = :code WHERE category = :label"),
                     {"code": code, "label": label})
    # payments
    op.create_table(
        "business_days",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("opened_at", sa.Float, nullable=False),
        sa.Column("opened_by", sa.String(80), nullable=False),
        sa.Column("float_cash", sa.Integer, nullable=False),
        sa.Column("closed_at", sa.Float),
        sa.Column("closed_by", sa.String(80), nullable=False, server_default=""),
        sa.Column("counted_cash", sa.Integer),
        sa.Column("report", sa.Text),            # the Z report as closed, kept to be read again
        sqlite_autoincrement=True,
    )
    # At most one day open at a time, whatever the handlers get wrong.
    op.create_index("ix_business_days_one_open", "business_days", ["status"], unique=True,
                    sqlite_where=sa.text("status = 'open'"))
    op.create_table(
        "bills",
        sa.Column("order_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("day_id", sa.Integer),         # NULL: placed while no day was open (the next day takes it)
        sa.Column("order_type", sa.String(20), nullable=False),
        sa.Column("table_no", sa.Integer),
        sa.Column("guests", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("placed_at", sa.Float, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("paid", sa.Integer, nullable=False),
        sa.Column("refunded", sa.Integer, nullable=False),
        sa.Column("gift_kind", sa.String(40), nullable=False),
        sa.Column("cancel_reason", sa.String(200), nullable=False),
        sa.Column("cancelled_by", sa.String(80), nullable=False),
        sa.Column("cancelled_at", sa.Float),
        sa.Column("cash_receipt", sa.String(20), nullable=False),
    )
    op.create_index("ix_bills_day_id", "bills", ["day_id"])
    op.create_index("ix_bills_open", "bills", ["order_id"], sqlite_where=sa.text("status = 'open'"))
    op.create_table(
        "tenders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.Integer, nullable=False),
        sa.Column("day_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("tendered", sa.Integer, nullable=False),
        sa.Column("change", sa.Integer, nullable=False),
        sa.Column("approval", sa.String(20), nullable=False),
        sa.Column("last4", sa.String(4), nullable=False),
        sa.Column("guest", sa.String(40), nullable=False),
        sa.Column("staff", sa.String(80), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_tenders_order_id", "tenders", ["order_id"])
    op.create_index("ix_tenders_day_id", "tenders", ["day_id"])
    op.create_table(
        "refunds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("order_id", sa.Integer, nullable=False),
        sa.Column("day_id", sa.Integer),         # NULL: refunded while no day was open (the next day takes it)
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("approval", sa.String(20), nullable=False),
        sa.Column("last4", sa.String(4), nullable=False),
        sa.Column("staff", sa.String(80), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_refunds_day_id", "refunds", ["day_id"])
    # The payments consumer starts at today's end of the event log: orders taken before the point of
    # sale existed get no bill (else the first day opened would count every past order as its own).
    conn.execute(sa.text("INSERT OR IGNORE INTO consumer_positions (consumer, position)"
                         " SELECT 'payments', coalesce(max(id), 0) FROM outbox"))


def downgrade() -> None:
    op.execute("DELETE FROM consumer_positions WHERE consumer = 'payments'")
    for table in ("refunds", "tenders", "bills", "business_days", "menu_categories"):
        op.drop_table(table)
    with op.batch_alter_table("menu_items") as batch:
        for column in ("available", "printer", "category_code"):
            batch.drop_column(column)
    with op.batch_alter_table("orders") as batch:
        for column in ("order_type", "table_no", "guests"):
            batch.drop_column(column)
    with op.batch_alter_table("tickets") as batch:
        for column in ("order_type", "table_no"):
            batch.drop_column(column)
