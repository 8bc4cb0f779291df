"""Opening a database made by an older version upgrades it, keeping what it holds."""
from __future__ import annotations

import sqlite3

from alembic.script import ScriptDirectory

from services.local import LocalShop, schema


def test_a_version_0001_database_is_upgraded_on_open_and_keeps_its_orders(db_path):
    schema.upgrade(db_path, "0001")
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO menu_items VALUES ('bibimbap', '비빔밥', 'Bibimbap', '밥 Rice', 9500, 0)")
    conn.execute("INSERT INTO stock VALUES ('bibimbap', 7)")
    conn.execute("INSERT INTO tickets (order_id, lines, status, created_at) VALUES (41, '[]', 'queued', 1.0)")
    conn.commit()
    assert "late" not in [row[1] for row in conn.execute("PRAGMA table_info(tickets)")]
    conn.close()

    shop = LocalShop(db_path)
    try:
        assert [(i.code, i.stock) for i in shop.menu()] == [("bibimbap", 7)], "an existing menu is not re-seeded"
        assert [t.order_id for t in shop.kitchen_tickets()] == [41]
        assert shop.kitchen_tickets()[0].late is False
    finally:
        shop.close()
    conn = sqlite3.connect(db_path)
    head = ScriptDirectory.from_config(schema.alembic_config()).get_current_head()
    assert head not in ("0001", None)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
    conn.close()


def test_a_new_database_gets_the_demo_menu_once(db_path):
    LocalShop(db_path).close()
    shop = LocalShop(db_path)
    try:
        menu = shop.menu()
        assert len(menu) == len({item.code for item in menu}) >= 15
        assert {"김치찌개", "비빔밥", "불고기"} <= {item.name_ko for item in menu}
        assert all(item.price > 0 for item in menu)
        assert next(i for i in menu if i.code == "naengmyeon").sold_out
    finally:
        shop.close()


def test_the_housekeeping_sweep_reads_only_what_it_looks_for(local_shop, db_path):
    """Every 15 s, inside the write transaction, the sweep looks for late tickets and deferred gifts.
    Both queries must use their partial indexes (0004): a scan of every open ticket and every order
    ever placed held the writer ~380 ms at 18,000 orders, and grew with the shop's history."""
    from services.kitchen.repository import LATE_CANDIDATES
    from services.ordering.repository import DEFERRED_GIFTS
    conn = sqlite3.connect(db_path)
    try:
        late_plan = " ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + LATE_CANDIDATES, (0.0,)))
        gift_plan = " ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + DEFERRED_GIFTS))
    finally:
        conn.close()
    assert "ix_tickets_open_not_late" in late_plan, late_plan
    assert "ix_orders_gift_deferred" in gift_plan, gift_plan
