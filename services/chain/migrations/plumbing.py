"""The tables every chain context has beside its own: outbox, inbox and parked events."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create_plumbing() -> None:
    # The outbox is the record of what this context published: rows are kept after sending (the relay
    # can publish them again if the broker lost them); ``seq`` is the stream sequence of the last ack.
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("order_id", sa.BigInteger, nullable=False),
        sa.Column("at", sa.Float(53), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("sent_at", sa.Float(53)),
        sa.Column("seq", sa.BigInteger),
    )
    op.create_index("ix_outbox_unsent", "outbox", ["id"], postgresql_where=sa.text("sent_at IS NULL"))
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])
    # One row per event this context has handled (or parked): a redelivery finds it and changes nothing.
    op.create_table(
        "inbox",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("at", sa.Float(53), nullable=False),
    )
    # Poison events: failed on every allowed delivery, kept here (and counted by /readyz) instead of lost.
    op.create_table(
        "parked",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("deliveries", sa.Integer, nullable=False),
        sa.Column("at", sa.Float(53), nullable=False),
    )


def drop_plumbing() -> None:
    for table in ("parked", "inbox", "outbox"):
        op.drop_table(table)
