"""The writer's batches: commands queued together run in one transaction, each seeing the one before's
saga; one failing is refused alone, a transaction failing as a whole refuses its batch and nothing of it
stays."""
from __future__ import annotations

import sqlite3

import pytest

from services import commands as c
from services.errors import CancelRefused, ShopBusy
from services.local import LocalShop
from tests.contract.helpers import order, stock_of


def batched(shop, db_path, *submissions):
    """Queue ``submissions`` (commands, or (command, finish) pairs) while another connection holds the
    write lock, so they run as one batch behind a restock of one cola; returns the restock's future, then
    theirs."""
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    first = shop._writer.submit(c.Restock("cola", 1))  # the writer waits on the lock with this one
    futures = [shop._writer.submit(*(s if isinstance(s, tuple) else (s,))) for s in submissions]
    blocker.execute("COMMIT")
    blocker.close()
    return [first, *futures]


def test_a_cancel_batched_after_a_bump_is_refused_and_no_consumer_gets_stuck(db_path):
    shop = LocalShop(db_path)
    try:
        receipt = shop.place_order(order())
        restock, bump, cancel = batched(shop, db_path, c.FinishCooking(receipt.order_id),
                                        c.CancelOrder(receipt.order_id, "too late"))
        restock.result(30)
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
        restock, pick_up, recall = batched(shop, db_path, c.PickUp(receipt.order_id, "Park"),
                                           c.RecallTicket(receipt.order_id))
        restock.result(30)
        pick_up.result(30)
        with pytest.raises(Exception, match="already picked up"):
            recall.result(30)
        assert receipt.order_id not in [t.order_id for t in shop.kitchen_tickets()]
    finally:
        shop.close()


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
        restock, first, unknown, second = batched(shop, db_path, order(client_ref="batch-a"),
                                                  c.CancelOrder(999_999, "typo"), order(client_ref="batch-b"))
        restock.result(30)
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


def _fails_after_writing(uow, order_id):
    raise RuntimeError(f"a bug after order {order_id} was written")


def test_a_command_failing_after_its_writes_leaves_none_of_them(db_path):
    """In the careful rerun each command has its own savepoint: the failing one's order, ticket, gift
    and stock are undone, the others' kept."""
    shop = LocalShop(db_path)
    try:
        cola_before = stock_of(shop, "cola")
        restock, kept, failed = batched(
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
        restock, full, after = batched(
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
