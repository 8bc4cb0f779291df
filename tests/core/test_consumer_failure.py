"""A consumer that fails is isolated: the order and the other consumers go ahead; it is retried later,
and an event it keeps failing on is parked as a dead letter instead of jamming it.

The failure is real: a SQLite trigger makes the delivery table refuse inserts.
"""
from __future__ import annotations

import sqlite3
import time

import pytest

from services.infra.bus import MAX_ATTEMPTS
from services.infra.db import writer_engine
from services.local import LocalShop
from services.local.bootstrap import build_bus
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
    """Counted in the transaction that failed (a batch rolled back takes its counts with it: below)."""
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


class _BatchUndone(Exception):
    pass


def _batch_rolled_back(db_path, then=lambda uow: None):
    """Drain the bus in a savepoint of one write transaction, roll the savepoint back, call
    ``then(uow)`` and commit. Returns the failure counts the batch saw, and what ``then`` returned."""
    bus, engine = build_bus(), writer_engine(db_path)
    seen: list = []

    def batch(uow):
        bus.drain(uow)
        seen.extend(tuple(row) for row in uow.sql.all("SELECT consumer, position, attempts FROM consumer_failures"))
        raise _BatchUndone

    try:
        with engine.connect() as conn, conn.begin():
            uow = bus.unit_of_work(conn, time.time())
            with pytest.raises(_BatchUndone):
                uow.isolated(lambda: batch(uow))
            return seen, then(uow)
    finally:
        engine.dispose()


def _a_delivery_failed(db_path) -> tuple[int, int]:
    shop = LocalShop(db_path)
    try:
        _sql(db_path, FAIL_DELIVERIES)
        shop.place_order(order())
    finally:
        shop.close()
    [(consumer, position, attempts)] = _sql(db_path, "SELECT consumer, position, attempts FROM consumer_failures")
    assert consumer == "delivery"
    return position, attempts


def test_a_batch_rolled_back_takes_the_failures_it_counted_with_it(db_path):
    position, before = _a_delivery_failed(db_path)
    seen, counted_after = _batch_rolled_back(db_path, then=lambda uow: uow.count_failure("delivery", position))
    assert seen == [("delivery", position, before + 1)], "the batch counted the delivery's next failure"
    assert counted_after == before + 1, "the transaction counts on from the stored count, not the batch's"
    assert _sql(db_path, "SELECT attempts FROM consumer_failures") == [(before + 1,)]


def test_a_batch_rolled_back_takes_the_failures_it_forgot_with_it(db_path):
    position, before = _a_delivery_failed(db_path)
    _sql(db_path, "DROP TRIGGER refuse_deliveries")
    seen, _ = _batch_rolled_back(db_path)
    assert seen == [], "the delivery got past its event in the batch: its count was forgotten"
    assert _sql(db_path, "SELECT position, attempts FROM consumer_failures") == [(position, before)]
    assert _sql(db_path, "SELECT count(*) FROM deliveries") == [(0,)], "the delivery went with the batch"
