"""Kitchen's outbox gains the columns of the order -> gift call (``hold_until``, ``msg_id``):
every context's relay runs the same query over them (services/chain/relay.py).

Revision ID: kitchen_0003
Revises: kitchen_0002
"""
from services.chain.migrations.plumbing import add_outbox_forwarding, drop_outbox_forwarding

revision = "kitchen_0003"
down_revision = "kitchen_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_forwarding()


def downgrade() -> None:
    drop_outbox_forwarding()
