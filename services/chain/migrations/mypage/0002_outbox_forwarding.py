"""Mypage's outbox gains the columns of the order -> gift call (``hold_until``, ``msg_id``):
the relay's query is the same in every context. Revision ID: mypage_0002, revises mypage_0001."""
from services.chain.migrations.plumbing import add_outbox_forwarding as upgrade  # noqa: F401
from services.chain.migrations.plumbing import drop_outbox_forwarding as downgrade  # noqa: F401

revision, down_revision = "mypage_0002", "mypage_0001"
branch_labels = depends_on = None
