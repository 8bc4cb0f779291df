"""Payments' tables in the chain (as services/local/migrations 0006 and 0007 made them for the shop:
bills, tenders, refunds, business days, payment refs), its plumbing, and ``early_gifts``: a gift whose
``GiftSent`` reached the stream before its order's ``Ordered`` (the gift is issued inside ordering's
transaction, so gift's relay often publishes first), kept until the bill comes.

Revision ID: payments_0001
"""
import sqlalchemy as sa
from alembic import op

from services.chain.migrations.plumbing import create_plumbing, drop_plumbing

revision = "payments_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_plumbing()
    op.create_table(
        "business_days",
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("opened_at", sa.Float(53), nullable=False),
        sa.Column("opened_by", sa.Text, nullable=False),
        sa.Column("float_cash", sa.BigInteger, nullable=False),
        sa.Column("closed_at", sa.Float(53)),
        sa.Column("closed_by", sa.Text, nullable=False, server_default=""),
        sa.Column("counted_cash", sa.BigInteger),
        sa.Column("report", sa.Text),            # the Z report as closed, kept to be read again
    )
    # At most one day open at a time, whatever the handlers get wrong.
    op.create_index("ix_business_days_one_open", "business_days", ["status"], unique=True,
                    postgresql_where=sa.text("status = 'open'"))
    op.create_table(
        "bills",
        sa.Column("order_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("day_id", sa.Integer),         # NULL: placed while no day was open (the next day takes it)
        sa.Column("order_type", sa.Text, nullable=False),
        sa.Column("table_no", sa.Integer),
        sa.Column("guests", sa.Integer, nullable=False),
        sa.Column("total", sa.BigInteger, nullable=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("placed_at", sa.Float(53), nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("paid", sa.BigInteger, nullable=False),
        sa.Column("refunded", sa.BigInteger, nullable=False),
        sa.Column("gift_kind", sa.Text, nullable=False),
        sa.Column("cancel_reason", sa.Text, nullable=False),
        sa.Column("cancelled_by", sa.Text, nullable=False),
        sa.Column("cancelled_at", sa.Float(53)),
        sa.Column("cash_receipt", sa.Text, nullable=False),
    )
    op.create_index("ix_bills_day_id", "bills", ["day_id"])
    op.create_index("ix_bills_open", "bills", ["order_id"], postgresql_where=sa.text("status = 'open'"))
    op.create_table(
        "tenders",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("day_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("tendered", sa.BigInteger, nullable=False),
        sa.Column("change", sa.BigInteger, nullable=False),
        sa.Column("approval", sa.Text, nullable=False),
        sa.Column("last4", sa.Text, nullable=False),
        sa.Column("guest", sa.Text, nullable=False),
        sa.Column("staff", sa.Text, nullable=False),
        sa.Column("at", sa.Float(53), nullable=False),
    )
    op.create_index("ix_tenders_order_id", "tenders", ["order_id"])
    op.create_index("ix_tenders_day_id", "tenders", ["day_id"])
    op.create_table(
        "refunds",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("day_id", sa.Integer),         # NULL: refunded while no day was open (the next day takes it)
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("approval", sa.Text, nullable=False),
        sa.Column("last4", sa.Text, nullable=False),
        sa.Column("staff", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.Float(53), nullable=False),
    )
    op.create_index("ix_refunds_day_id", "refunds", ["day_id"])
    op.create_index("ix_refunds_order_id", "refunds", ["order_id"])
    # A payment taken with a client-made id: its answer under the ref, so a retry is taken once (local 0007).
    op.create_table(
        "payment_refs",
        sa.Column("client_ref", sa.Text, primary_key=True),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("change", sa.BigInteger, nullable=False),
        sa.Column("balance", sa.BigInteger, nullable=False),     # the bill's, just after this payment
        sa.Column("status", sa.Text, nullable=False),            # the bill's, just after this payment
        sa.Column("tenders", sa.Text, nullable=False),           # as asked: a retry must ask the same
        sa.Column("at", sa.Float(53), nullable=False),
    )
    op.create_table(
        "early_gifts",
        sa.Column("order_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("gift_kind", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("early_gifts", "payment_refs", "refunds", "tenders", "bills", "business_days"):
        op.drop_table(table)
    drop_plumbing()
