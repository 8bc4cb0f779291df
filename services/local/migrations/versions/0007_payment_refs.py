"""Payments taken with a client-made id (``clientRef``): each one's answer kept under its ref, so a
payment sent again after a lost answer (a till's retry, a worker resending to a restarted shop
process) is taken once and answered the same. Payments taken before this revision carry no ref.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_refs",
        sa.Column("client_ref", sa.String(64), primary_key=True),
        sa.Column("order_id", sa.Integer, nullable=False),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("change", sa.Integer, nullable=False),
        sa.Column("balance", sa.Integer, nullable=False),     # the bill's, just after this payment
        sa.Column("status", sa.String(20), nullable=False),   # the bill's, just after this payment
        sa.Column("tenders", sa.Text, nullable=False),        # as asked: a retry must ask the same
        sa.Column("at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("payment_refs")
