"""The writer's batches: each command sees the previous one's saga; subscribers never block it."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest

from services import commands as c
from services.errors import CancelRefused
from services.local import LocalShop
from tests.contract.helpers import order, wait_until


def _batched(shop, db_path, *commands):
    """Queue ``commands`` while another connection holds the write lock, so they run as one batch."""
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    first = shop._writer.submit(c.Restock("cola", 1))  # the writer waits on the lock with this one
    futures = [shop._writer.submit(command) for command in commands]
    blocker.execute("COMMIT")
    blocker.close()
    first.result(30)
    return futures


def test_a_cancel_batched_after_a_bump_is_refused_and_no_consumer_gets_stuck(db_path):
    shop = LocalShop(db_path)
    try:
        receipt = shop.place_order(order())
        bump, cancel = _batched(shop, db_path, c.FinishCooking(receipt.order_id),
                                c.CancelOrder(receipt.order_id, "too late"))
        assert bump.result(30) is None
        with pytest.raises(CancelRefused):
            cancel.result(30)
        later = shop.place_order(order())
        assert later.order_id in [t.order_id for t in shop.kitchen_tickets()], "the kitchen still hears of orders"
        conn = sqlite3.connect(db_path)
        newest = conn.execute("SELECT max(id) FROM outbox").fetchone()[0]
        assert {p for (p,) in conn.execute("SELECT position FROM consumer_positions")} == {newest}
        conn.close()
    finally:
        shop.close()


def test_a_recall_batched_after_a_pickup_is_refused(db_path):
    shop = LocalShop(db_path)
    try:
        receipt = shop.place_order(order())
        shop.finish_cooking(receipt.order_id)
        pick_up, recall = _batched(shop, db_path, c.PickUp(receipt.order_id, "Park"), c.RecallTicket(receipt.order_id))
        pick_up.result(30)
        with pytest.raises(Exception, match="already picked up"):
            recall.result(30)
        assert receipt.order_id not in [t.order_id for t in shop.kitchen_tickets()]
    finally:
        shop.close()


def test_a_subscriber_may_call_the_shop_back_without_stalling_it(db_path):
    shop = LocalShop(db_path)
    started = threading.Event()

    def start_on_stock_checked(record):
        if record.name == "StockChecked":
            shop.start_cooking(record.order_id)
            started.set()

    shop.subscribe(start_on_stock_checked)
    try:
        receipt = shop.place_order(order())
        assert started.wait(5)
        assert [t.status for t in shop.kitchen_tickets() if t.order_id == receipt.order_id] == ["cooking"]
    finally:
        shop.close()


def test_two_processes_opening_a_new_database_at_once_both_succeed(tmp_path):
    db = tmp_path / "fresh.sqlite"
    script = ("import sys; from services.local import LocalShop; "
              "LocalShop(sys.argv[1]).close(); print('ok')")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(db)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [out.strip() for out, _ in results] == ["ok"] * 3, [err for _, err in results]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM menu_items").fetchone()[0] >= 15
    assert conn.execute("SELECT count(*) FROM menu_items").fetchone()[0] == len(
        {r[0] for r in conn.execute("SELECT code FROM menu_items")})
    conn.close()


def test_a_screen_in_another_process_sees_the_events_live(db_path):
    """A counter and a kitchen display started as separate programs on one file (two LocalShops here:
    what matters is two connections) — the kitchen's feed carries the counter's orders."""
    counter, kitchen = LocalShop(db_path), LocalShop(db_path)
    seen = []
    kitchen.subscribe(seen.append)
    try:
        receipt = counter.place_order(order())
        wait_until(lambda: {"Ordered", "StockChecked"} <= {r.name for r in seen if r.order_id == receipt.order_id},
                   timeout=2)
        positions = [r.position for r in seen]
        assert positions == sorted(set(positions)), "in order, none doubled"
    finally:
        counter.close()
        kitchen.close()


def test_commits_leave_checkpoints_to_the_checkpointer_and_a_closed_shop_is_one_file(db_path):
    from services.infra.db import writer_engine
    engine = writer_engine(db_path)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    engine.dispose()
    shop = LocalShop(db_path)
    try:
        for _ in range(50):
            shop.place_order(order())
        wal = db_path.with_name(db_path.name + "-wal")
        assert wal.stat().st_size > 0
    finally:
        shop.close()
    assert not wal.exists() or wal.stat().st_size == 0, "the last checkpoint empties the WAL"
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 50
    conn.close()
