"""Delivery's outbox gains the columns of the order -> gift call (``hold_until``, ``msg_id``):
every context's relay runs the same query over them (services/chain/relay.py).

Revision ID: delivery_0002
Revises: delivery_0001
"""
from services.chain.migrations.plumbing import add_outbox_forwarding, drop_outbox_forwarding

revision = "delivery_0002"
down_revision = "delivery_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_forwarding()


def downgrade() -> None:
    drop_outbox_forwarding()
