"""Create or upgrade one context's schema (its own Alembic history, version table inside the schema),
then seed it the first time: ordering gets the menu (its categories and items), kitchen the stock, gift
the gift stock. Payments starts empty: its bills come from the orders' events.

Replicas starting together take turns on an advisory lock, so the schema is migrated and seeded once.
"""
from __future__ import annotations

import zlib
from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from services.local.seed import DEMO_MENU, load_menu, menu_rows

MIGRATIONS = Path(__file__).with_name("migrations")


def lock_key(context: str, purpose: str) -> int:
    """A stable 32-bit advisory lock key for (context, purpose), e.g. ("kitchen", "leader")."""
    return zlib.crc32(f"sikdang:{context}:{purpose}".encode()) - 2**31


def upgrade(dsn: str, context: str, menu: Path = DEMO_MENU) -> None:
    """Migrate ``context``'s schema to head and seed it if new. Safe to run from every replica at once."""
    # Through ``creator``: the DSN may be a URL or libpq's key=value form, as psycopg takes both.
    engine = create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(dsn), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(context, "schema")})
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{context}"'))
            conn.execute(text(f'SET LOCAL search_path TO "{context}"'))
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.set_main_option("path_separator", "os")
            config.set_main_option("version_locations", str(MIGRATIONS / context))
            config.attributes.update(connection=conn, schema=context)
            command.upgrade(config, "head")
            _seed(conn, context, menu)
    finally:
        engine.dispose()


def _seed(conn, context: str, path: Path) -> None:
    if context not in ("ordering", "kitchen", "gift"):
        return
    table = {"ordering": "menu_items", "kitchen": "stock", "gift": "gift_stock"}[context]
    if conn.execute(text(f"SELECT count(*) FROM {table}")).scalar():
        return
    menu = load_menu(path)
    categories, items = menu_rows(menu)
    if context == "ordering":
        conn.execute(text("INSERT INTO menu_categories (code, name_ko, name_en, sort)"
                          " VALUES (:code, :name_ko, :name_en, :sort)"), categories)
        conn.execute(text("INSERT INTO menu_items (code, name_ko, name_en, category, category_code, price, sort)"
                          " VALUES (:code, :name_ko, :name_en, :category, :category_code, :price, :sort)"), items)
    elif context == "kitchen":
        conn.execute(text("INSERT INTO stock (item_code, on_hand) VALUES (:code, :stock)"), items)
    else:
        conn.execute(text("INSERT INTO gift_stock (id, kind, quantity) VALUES (1, :kind, :stock)"), menu["gift"])
