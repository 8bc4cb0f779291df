"""The repositories' Sql over PostgreSQL: the SQLite dialect translated, rows read every way, and the
contexts' own repositories working unchanged on a real database."""
from __future__ import annotations

import pytest

from services.chain.pg import PgSql, translate
from services.chain.store import open_pool
from services.gift.model import Gift, GiftStock
from services.gift.repository import GiftRepository
from services.kitchen.model import QUEUED, Ticket
from services.kitchen.repository import KitchenRepository
from services.ordering.repository import OrderingRepository


@pytest.mark.parametrize("sqlite, postgres", [
    ("SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = %s AND c = %s"),
    ("UPDATE t SET a = :a WHERE id = :id", "UPDATE t SET a = %(a)s WHERE id = %(id)s"),
    ("SELECT 'a:b?' , x::text FROM t WHERE y LIKE '5%'", "SELECT 'a:b?' , x::text FROM t WHERE y LIKE '5%%'"),
    ("INSERT OR IGNORE INTO t (a, b) VALUES (?, ?)", "INSERT INTO t (a, b) VALUES (%s, %s) ON CONFLICT DO NOTHING"),
    ("INSERT OR REPLACE INTO mypage (order_id, total) VALUES (:order_id, :total)",
     "INSERT INTO mypage (order_id, total) VALUES (%(order_id)s, %(total)s)"
     " ON CONFLICT (order_id) DO UPDATE SET total = EXCLUDED.total"),
    ("SELECT a FROM tickets INDEXED BY ix_open WHERE a < ?", "SELECT a FROM tickets WHERE a < %s"),
    ("SELECT a FROM t WHERE a IN ()", "SELECT a FROM t WHERE a IN (NULL)"),
])
def test_the_sqlite_dialect_is_translated(sqlite, postgres):
    assert translate(sqlite) == postgres


@pytest.fixture
def kitchen_pool(pg_dsn):
    pool = open_pool(pg_dsn, "kitchen", min_size=1, max_size=2)
    yield pool
    pool.close()


def test_rows_read_by_name_position_attribute_and_as_dict(kitchen_pool):
    with kitchen_pool.connection() as conn:
        row = PgSql(conn).one("SELECT item_code, on_hand FROM stock WHERE item_code = ?", ("tea",)) or \
            PgSql(conn).one("SELECT item_code, on_hand FROM stock ORDER BY item_code LIMIT 1")
        assert row["item_code"] == row[0] == row.item_code
        assert dict(row) == {"item_code": row[0], "on_hand": row[1]}


def test_the_kitchen_repository_runs_unchanged(kitchen_pool):
    with kitchen_pool.connection() as conn:
        repo = KitchenRepository(PgSql(conn))
        code = next(iter(repo.on_hand(["kimchi-jjigae"])))
        ticket = Ticket(order_id=5, lines=[{"item_code": code, "quantity": 1}], created_at=10.0, status=QUEUED)
        assert repo.add_if_new(ticket) is True
        assert repo.add_if_new(ticket) is False           # INSERT OR IGNORE: a redelivered Ordered
        before = repo.on_hand([code])[code]
        repo.take({code: 2})
        assert repo.on_hand([code])[code] == before - 2
        assert [t.order_id for t in repo.late_candidates(created_before=11.0)] == [5]   # late = 0, INDEXED BY
        ticket.late = True
        repo.save(ticket)                                   # a Python bool into the 0/1 column
        assert repo.get(5).late is True and repo.late_candidates(created_before=11.0) == []
        assert repo.set_on_hand("no-such-item", 3) is None   # UPDATE ... RETURNING, no row
        conn.rollback()


def test_ordering_and_gift_repositories_run_unchanged(pg_dsn):
    with open_pool(pg_dsn, "ordering", min_size=1, max_size=1) as pool, pool.connection() as conn:
        repo = OrderingRepository(PgSql(conn))
        menu = repo.menu_entries({"kimchi-jjigae", "nothing"})
        assert list(menu) == ["kimchi-jjigae"]
        assert repo.id_for_client_ref("none") is None
        assert repo.orders_with_deferred_gift() == []
    with open_pool(pg_dsn, "gift", min_size=1, max_size=1) as pool, pool.connection() as conn:
        repo = GiftRepository(PgSql(conn))
        repo.save_stock(GiftStock("Pen", 3))
        assert repo.stock() == GiftStock("Pen", 3)
        repo.add(Gift(order_id=9, kind="Pen", status="sent", sent_at=1.0))
        assert repo.get(9).kind == "Pen"
