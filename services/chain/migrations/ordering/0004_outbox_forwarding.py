"""Ordering's outbox gains the columns of the order -> gift call (``hold_until``, ``msg_id``):
the relay's query is the same in every context. Revision ID: ordering_0004, revises ordering_0003."""
from services.chain.migrations.plumbing import add_outbox_forwarding as upgrade  # noqa: F401
from services.chain.migrations.plumbing import drop_outbox_forwarding as downgrade  # noqa: F401

revision, down_revision = "ordering_0004", "ordering_0003"
branch_labels = depends_on = None
