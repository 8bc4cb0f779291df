"""The writer's batches: each command sees the previous one's saga; subscribers never block it."""
from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from services import commands as c
from services.errors import CancelRefused, ShopBusy
from services.infra.db import Checkpointer, WriteLock
from services.local import LocalShop
from tests.contract.helpers import order, stock_of, wait_until


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


def test_a_transaction_that_fails_as_a_whole_refuses_its_batch_and_the_next_batch_goes_on(db_path, monkeypatch):
    """The batch's last write (the consumers' positions) fails: nothing of the batch is kept, its
    callers hear the shop was busy, and the writer starts the next batch afresh."""
    from services.infra import unit_of_work as bus
    shop = LocalShop(db_path)
    try:
        before = len(shop.todays_orders())
        real_save = bus.save_positions

        def locked_once(sql, positions):
            monkeypatch.setattr(bus, "save_positions", real_save)
            raise sqlite3.OperationalError("database is locked")
        monkeypatch.setattr(bus, "save_positions", locked_once)
        with pytest.raises(ShopBusy):
            shop.place_order(order())
        assert len(shop.todays_orders()) == before, "nothing of the failed batch was kept"
        assert shop.place_order(order()).status == "placed"
        assert len(shop.todays_orders()) == before + 1
    finally:
        shop.close()


def test_a_failing_command_in_a_batch_is_refused_alone_and_the_others_are_done_once(db_path):
    """The batch first runs with no savepoint per command; a failure rolls it back and it runs again
    with one per command: the others must then be done exactly once, with their whole sagas."""
    shop = LocalShop(db_path)
    try:
        first, unknown, second = _batched(shop, db_path, order(client_ref="batch-a"), c.CancelOrder(999_999, "typo"),
                                          order(client_ref="batch-b"))
        with pytest.raises(Exception, match="999999"):
            unknown.result(30)
        placed = [first.result(30), second.result(30)]
        conn = sqlite3.connect(db_path)
        try:
            rows = conn.execute("SELECT client_ref, gift_status FROM orders WHERE client_ref LIKE 'batch-%'"
                                " ORDER BY id").fetchall()
            assert rows == [("batch-a", "sent"), ("batch-b", "sent")]
            for order_id in placed:
                events = [name for (name,) in conn.execute("SELECT name FROM outbox WHERE order_id = ?", (order_id,))]
                assert sorted(events) == ["GiftSent", "Ordered", "StockChecked"], events
                assert conn.execute("SELECT count(*) FROM tickets WHERE order_id = ?", (order_id,)).fetchone()[0] == 1
        finally:
            conn.close()
        assert [shop.mypage(order_id).cook_status for order_id in placed] == ["queued", "queued"]
    finally:
        shop.close()


def _batch_with_finishers(shop, db_path, *submissions):
    """``_batched`` for (command, finish) pairs."""
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    first = shop._writer.submit(c.Restock("cola", 1))
    futures = [shop._writer.submit(command, finish) for command, finish in submissions]
    blocker.execute("COMMIT")
    blocker.close()
    return [first, *futures]


def _fails_after_writing(uow, order_id):
    raise RuntimeError(f"a bug after order {order_id} was written")


def test_a_command_failing_after_its_writes_leaves_none_of_them(db_path):
    """In the careful rerun each command has its own savepoint: the failing one's order, ticket, gift
    and stock are undone, the others' kept."""
    shop = LocalShop(db_path)
    try:
        cola_before = stock_of(shop, "cola")
        restock, kept, failed = _batch_with_finishers(
            shop, db_path, (order(("cola", 1), client_ref="kept"), None),
            (order(("cola", 1), client_ref="failed"), _fails_after_writing))
        restock.result(30)
        assert kept.result(30)
        with pytest.raises(Exception, match="a bug after order"):
            failed.result(30)
        conn = sqlite3.connect(db_path)
        try:
            refs = conn.execute("SELECT client_ref FROM orders WHERE client_ref IN ('kept', 'failed')")
            assert [r for (r,) in refs] == ["kept"]
            assert conn.execute("SELECT count(*) FROM tickets").fetchone()[0] == 1
            assert conn.execute("SELECT count(*) FROM gifts").fetchone()[0] == 1
        finally:
            conn.close()
        assert stock_of(shop, "cola") == cola_before + 1 - 1, "the restock, and one cola taken"
    finally:
        shop.close()


def _fill_the_disk(uow, _order_id):
    """What a full disk does mid-batch: SQLite rolls the whole transaction back on its own."""
    uow.sql.run("CREATE TABLE IF NOT EXISTS filler (x)")
    uow.sql.run(f"PRAGMA max_page_count={uow.sql.scalar('PRAGMA page_count') + 3}")
    try:
        for _ in range(100):
            uow.sql.run("INSERT INTO filler VALUES (randomblob(3000))")
    finally:
        uow.sql.run("PRAGMA max_page_count=1073741823")


def test_when_the_database_undoes_the_whole_transaction_the_batch_is_refused_and_nothing_half_done_stays(db_path):
    shop = LocalShop(db_path)
    try:
        restock, full, after = _batch_with_finishers(
            shop, db_path, (order(client_ref="disk-full"), _fill_the_disk), (order(client_ref="after-it"), None))
        for future in (restock, full, after):
            with pytest.raises(Exception, match="undid the whole transaction"):
                future.result(30)
        conn = sqlite3.connect(db_path)
        try:
            assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 0, "no command committed on its own"
            newest = conn.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0]
            assert all(p <= newest for (p,) in conn.execute("SELECT position FROM consumer_positions"))
        finally:
            conn.close()
        assert shop.place_order(order()).status == "placed", "the next batch goes on"
    finally:
        shop.close()
