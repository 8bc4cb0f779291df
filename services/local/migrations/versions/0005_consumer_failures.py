"""Consumer failures: how often each consumer has failed on each event, written in the transaction
that failed, so the count goes with that transaction (rolled back with it, kept when it commits, and
kept across a restart). Five failures and the event is parked in ``dead_letters``.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consumer_failures",
        sa.Column("consumer", sa.String(40), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("attempts", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("consumer_failures")
