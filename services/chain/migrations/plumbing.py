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


def add_outbox_forwarding() -> None:
    """The outbox columns of the order -> gift call (docs/chain.md, "Order -> gift"), added by a later
    migration of every context (the relay's query is the same for all): ``hold_until`` keeps a row from
    this context's relay until then (the events of a command another service called inside its own
    transaction: the caller publishes them first); ``msg_id`` is the event id of a row that carries
    another context's event (the caller's copy, published under the callee's id)."""
    op.add_column("outbox", sa.Column("hold_until", sa.Float(53)))
    op.add_column("outbox", sa.Column("msg_id", sa.Text))
    # A repeated call answers the events it held for the order: found by order, among held rows only.
    op.create_index("ix_outbox_held", "outbox", ["order_id"], postgresql_where=sa.text("hold_until IS NOT NULL"))


def drop_outbox_forwarding() -> None:
    op.drop_index("ix_outbox_held", table_name="outbox")
    op.drop_column("outbox", "msg_id")
    op.drop_column("outbox", "hold_until")
