"""A consumer that fails is isolated: the order and the other consumers go ahead; it is retried later,
and an event it keeps failing on is parked as a dead letter instead of jamming it.

The failure is real: a SQLite trigger makes the delivery table refuse inserts.
"""
from __future__ import annotations

import sqlite3

from services.infra.bus import MAX_ATTEMPTS
from services.local import LocalShop
from tests.contract.helpers import order


def _sql(db_path, statement: str):
    conn = sqlite3.connect(db_path)
    try:
        result = conn.execute(statement).fetchall()
        conn.commit()
        return result
    finally:
        conn.close()


FAIL_DELIVERIES = ("CREATE TRIGGER refuse_deliveries BEFORE INSERT ON deliveries "
                   "BEGIN SELECT RAISE(ABORT, 'delivery table is broken'); END")


def test_a_failing_consumer_is_left_behind_and_catches_up_when_it_recovers(db_path, caplog):
    shop = LocalShop(db_path)
    try:
        _sql(db_path, FAIL_DELIVERIES)
        receipt = shop.place_order(order())
        assert receipt.status == "placed" and receipt.gift_status == "sent"
        assert receipt.order_id in [t.order_id for t in shop.kitchen_tickets()]
        assert shop.mypage(receipt.order_id).cook_status == "queued"
        assert _sql(db_path, "SELECT count(*) FROM deliveries") == [(0,)]
        assert "consumer delivery failed on Ordered" in caplog.text

        _sql(db_path, "DROP TRIGGER refuse_deliveries")
        shop.finish_cooking(receipt.order_id)  # the next transaction retries the backlog first
        assert [c.order_id for c in shop.delivery_board().waiting] == [receipt.order_id]
    finally:
        shop.close()


def test_an_event_that_keeps_failing_is_parked_as_a_dead_letter(db_path):
    shop = LocalShop(db_path)
    try:
        _sql(db_path, FAIL_DELIVERIES)
        first = shop.place_order(order())
        for _ in range(MAX_ATTEMPTS):
            shop.restock("cola", 1)  # each transaction retries the delivery consumer's backlog
        parked = _sql(db_path, "SELECT consumer, event, order_id, error FROM dead_letters ORDER BY position")
        assert parked[0][:3] == ("delivery", "Ordered", first.order_id)
        assert "delivery table is broken" in parked[0][3]
    finally:
        shop.close()


def test_failure_counts_are_stored_so_a_restart_does_not_start_them_over(db_path):
    """Counted in the transaction that failed (a batch rolled back takes its counts with it)."""
    shop = LocalShop(db_path)
    try:
        _sql(db_path, FAIL_DELIVERIES)
        shop.place_order(order())
    finally:
        shop.close()
    [(consumer, before)] = _sql(db_path, "SELECT consumer, attempts FROM consumer_failures")
    assert consumer == "delivery" and 1 <= before < MAX_ATTEMPTS - 1
    LocalShop(db_path).close()   # its catch-up drain tries again
    [(_, after)] = _sql(db_path, "SELECT consumer, attempts FROM consumer_failures")
    assert before < after < MAX_ATTEMPTS, "the count went on where it was"
