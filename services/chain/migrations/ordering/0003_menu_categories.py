"""Ordering's menu categories in a chain database made before the manager's menu: 0002 added the
``menu_categories`` table but left it empty and every item's ``category_code`` blank, so the manager's
menu had no category to put an item in. Fill them from the items' labels ("찌개 Stews" -> code
"stews"), as local migration 0006 did for the shop. A new database is empty here: its seed writes them.

Revision ID: ordering_0003
Revises: ordering_0002
"""
import sqlalchemy as sa
from alembic import op

from services.local.seed import category_code

revision = "ordering_0003"
down_revision = "ordering_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    labels = [row[0] for row in conn.execute(sa.text("SELECT category, min(sort) FROM menu_items"
                                                     " WHERE category_code = '' GROUP BY category ORDER BY min(sort)"))]
    start = conn.execute(sa.text("SELECT coalesce(max(sort) + 1, 0) FROM menu_categories")).scalar_one()
    for sort, label in enumerate(labels, start):
        name_ko, _, name_en = label.partition(" ")
        code = category_code(name_en or name_ko)
        conn.execute(sa.text("INSERT INTO menu_categories (code, name_ko, name_en, sort)"
                             " VALUES (:code, :ko, :en, :sort) ON CONFLICT (code) DO NOTHING"),
                     {"code": code, "ko": name_ko, "en": name_en or name_ko, "sort": sort})
        conn.execute(sa.text("UPDATE menu_items SET category_code = :code WHERE category = :label"),
                     {"code": code, "label": label})


def downgrade() -> None:
    pass    # the categories stay: 0002's downgrade drops the table
