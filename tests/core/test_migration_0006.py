"""0006 (the point of sale) on a shop made before it: orders read as deliveries, the menu's categories
come from the items' labels, bills start with the next day, and the step back works."""
from __future__ import annotations

import sqlite3

from alembic import command

from services.local import LocalShop, schema
from services.infra.db import writer_engine


def test_a_0005_shop_upgrades_with_its_orders_as_deliveries_and_its_categories_kept(db_path):
    LocalShop(db_path).close()                       # seeded, at head
    _downgrade(db_path, "0005")
    conn = sqlite3.connect(db_path)
    assert "order_type" not in [row[1] for row in conn.execute("PRAGMA table_info(orders)")]
    conn.execute("INSERT INTO outbox (name, order_id, at, data) VALUES ('Ordered', 1, 1.0, ?)",
                 ('{"order_id": 1, "customer_name": "김", "phone": "", "address": "서울", "lines": [], "total": 9000,'
                  ' "placed_at": 1.0}',))
    conn.execute("INSERT INTO orders (customer_name, phone, address, lines, total, status, reason, placed_at,"
                 " gift_status, gift_kind, gift_attempts) VALUES ('김', '', '서울', '[]', 9000, 'placed', '', 1.0,"
                 " '', '', 0)")
    conn.commit()
    conn.close()

    shop = LocalShop(db_path)
    try:
        conn = sqlite3.connect(db_path)
        assert conn.execute("SELECT order_type, table_no FROM orders").fetchall() == [("delivery", None)]
        categories = conn.execute("SELECT code, name_ko, name_en FROM menu_categories ORDER BY sort").fetchall()
        conn.close()
        assert categories[0] == ("stews", "찌개", "Stews") and len(categories) == 5
        assert {item.category_code for item in shop.menu()} == {code for code, _, _ in categories}
        assert [c.code for c in shop.categories()] == [code for code, _, _ in categories]
        assert all(item.available for item in shop.menu())
        assert shop.current_day() is None and shop.days() == []
        shop.open_day(0)
        assert shop.x_report().orders == 0, "orders taken before the point of sale are no day's sales"
    finally:
        shop.close()


def test_0006_steps_back_to_0005(db_path):
    LocalShop(db_path).close()
    _downgrade(db_path, "0005")
    conn = sqlite3.connect(db_path)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert not tables & {"bills", "tenders", "refunds", "business_days", "menu_categories"}
    schema.upgrade(db_path)


def _downgrade(db_path, revision: str) -> None:
    engine = writer_engine(db_path)
    try:
        with engine.begin() as conn:
            config = schema.alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, revision)
    finally:
        engine.dispose()
