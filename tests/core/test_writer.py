"""The writer: subscribers never block it, other processes share its file, it checkpoints the WAL (its
batches: test_writer_batches)."""
from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from services import commands as c
from services.errors import ShopBusy
from services.infra.db import Checkpointer, WriteLock
from services.local import LocalShop
from tests.contract.helpers import order, wait_until


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


def test_a_subscriber_naming_events_gets_only_those_in_order_from_any_process(db_path):
    """The scheduler listens for two kinds of events; it must still get every one of them, whether this
    process or another committed it, while an unnamed subscriber keeps getting everything."""
    counter, kitchen = LocalShop(db_path), LocalShop(db_path)
    named, everything = [], []
    kitchen.subscribe(named.append, names=("Cooked", "OrderCancelled"))
    kitchen.subscribe(everything.append)
    try:
        first = kitchen.place_order(order())   # this process
        second = counter.place_order(order())  # another process's writer
        kitchen.finish_cooking(first.order_id)
        counter.cancel_order(second.order_id, "changed mind")
        wait_until(lambda: len(named) == 2, timeout=60)
        wait_until(lambda: "OrderCancelled" in {r.name for r in everything}, timeout=60)
        assert [(r.name, r.order_id) for r in named] == [("Cooked", first.order_id),
                                                          ("OrderCancelled", second.order_id)]
        assert {"Ordered", "StockChecked", "Cooked", "OrderCancelled"} <= {r.name for r in everything}
        assert [r.position for r in named] == sorted(r.position for r in named)
    finally:
        counter.close()
        kitchen.close()


def test_the_writer_waits_for_another_process_holding_the_write_lock_and_goes_on_when_it_is_free(db_path):
    shop = LocalShop(db_path)
    other_process = WriteLock(db_path)   # what a second server process's writer holds mid-batch
    try:
        with other_process:
            pending = shop._writer.submit(order())
            time.sleep(0.3)
            assert not pending.done(), "no write while another writer holds the lock"
            released = time.monotonic()
        pending.result(5)
        assert time.monotonic() - released < 0.5, "woken when the lock is free, not after a long nap"
    finally:
        other_process.close()
        shop.close()


def test_an_async_caller_still_queued_at_its_timeout_is_told_busy_and_its_order_never_runs(db_path):
    shop = LocalShop(db_path)
    before = len(shop.todays_orders())
    other_process = WriteLock(db_path)

    async def place_with_short_timeout():
        return await shop._writer.execute_async(order(), timeout=0.2)
    try:
        with other_process:
            stuck = shop._writer.submit(c.Restock("cola", 1))  # the writer waits on the lock with this one
            wait_until(shop._writer._queue.empty, timeout=60, interval=0.005)   # taken off the queue
            with pytest.raises(ShopBusy):
                asyncio.run(place_with_short_timeout())
        stuck.result(5)
        receipt = asyncio.run(shop.place_order_async(order()))
        assert receipt.status == "placed"
        assert len(shop.todays_orders()) == before + 1, "the order that was told busy was not placed"
    finally:
        other_process.close()
        shop.close()


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


def test_under_steady_orders_the_wal_is_checkpointed_and_stays_small(db_path):
    """A PASSIVE checkpoint never catches up with steady commits, so the WAL never started over and
    grew by ~20 MB/s at the benchmark's rate: past its limit, the checkpointer finishes a pass under
    the write lock, and the WAL starts over."""
    shop = LocalShop(db_path)
    checkpoints = Checkpointer(db_path, WriteLock(db_path), interval=0.05, max_wal_bytes=256 * 1024)
    wal = db_path.with_name(db_path.name + "-wal")
    stop, placed, sizes, restarts = threading.Event(), [], [], set()

    def keep_ordering():
        while not stop.is_set():
            placed.append(shop.place_order(order()).order_id)
    clients = [threading.Thread(target=keep_ordering) for _ in range(4)]
    for client in clients:
        client.start()
    try:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            sizes.append(wal.stat().st_size if wal.exists() else 0)
            restarts.add(_wal_checkpoint_sequence(wal))
            time.sleep(0.02)
    finally:
        stop.set()
        for client in clients:
            client.join(10)
        checkpoints.close()
        shop.close()
    assert len(restarts) >= 10, f"the WAL started over only {len(restarts)} times in 3 s"
    # Each order writes several pages (4 KB each) to the WAL (~10 in batches this small): never started
    # over, it would hold them all; started over every 50 ms or so, it holds a few dozen orders' pages.
    assert max(sizes) < len(placed) * 4096, f"WAL grew to {max(sizes)} bytes with {len(placed)} orders"
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == len(placed)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def _wal_checkpoint_sequence(wal) -> int | None:
    """The WAL header's checkpoint sequence number: it changes each time the WAL starts over."""
    try:
        with open(wal, "rb") as file:
            header = file.read(16)
    except FileNotFoundError:
        return None
    return int.from_bytes(header[12:16], "big") if len(header) == 16 else None
