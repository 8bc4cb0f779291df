"""Idempotent consumers: delivering any event twice changes nothing."""
from __future__ import annotations

import sqlite3
import time

from services.infra.db import writer_engine
from services.infra.outbox import read_after
from services.local import LocalShop
from services.local.bootstrap import build_bus
from tests.contract.helpers import order

TABLES = ("orders", "tickets", "stock", "deliveries", "gifts", "gift_stock", "mypage", "outbox")


def _snapshot(path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in TABLES}
    finally:
        conn.close()


def _a_busy_day(path) -> None:
    shop = LocalShop(path)
    try:
        shop.set_gift_stock(2)
        delivered = shop.place_order(order(("bibimbap", 1)))
        shop.start_cooking(delivered.order_id)
        shop.finish_cooking(delivered.order_id)
        shop.pick_up(delivered.order_id, "Park")
        shop.deliver(delivered.order_id)
        cancelled = shop.place_order(order(("bulgogi", 2)))
        shop.cancel_order(cancelled.order_id, "changed mind")
        shop.mark_sold_out("japchae")
        shop.place_order(order(("japchae", 1)))          # out of stock
        shop.place_order(order(("cola", 1)))             # no gift left
        recalled = shop.place_order(order(("gimbap", 1)))
        shop.finish_cooking(recalled.order_id)
        shop.recall_ticket(recalled.order_id)
        shop.restock("japchae", 4)
    finally:
        shop.close()


def test_every_event_delivered_twice_to_every_consumer_changes_nothing(db_path):
    _a_busy_day(db_path)
    before = _snapshot(db_path)
    bus, engine = build_bus(), writer_engine(db_path)
    with engine.connect() as conn, conn.begin():
        uow = bus.unit_of_work(conn, time.time())
        records = read_after(conn, 0, 10_000)
        assert len(records) > 30
        for consumer in bus.contexts:
            bus.deliver(uow, consumer, records)
            bus.deliver(uow, consumer, records)
    engine.dispose()
    assert _snapshot(db_path) == before


def test_replaying_the_whole_log_makes_no_duplicate_ticket_gift_or_delivery(db_path):
    """Belt and braces, should positions ever be lost: handlers also check state, so a replay from zero
    leaves every context's tables as they were. (It may log a compensating pair of events, e.g. a
    recalled ticket's delivery started and withdrawn again, so the outbox and mypage are not compared.)"""
    _a_busy_day(db_path)
    business = ("orders", "tickets", "stock", "deliveries", "gifts", "gift_stock")
    before = {table: rows for table, rows in _snapshot(db_path).items() if table in business}
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE consumer_positions SET position = 0")
    conn.commit()
    conn.close()
    LocalShop(db_path).close()  # opening the shop drains the log it finds pending
    assert {table: rows for table, rows in _snapshot(db_path).items() if table in business} == before
