"""Persisted jobs: scheduled tickets, late tickets, deferred gifts with backoff, missed jobs logged."""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

from services import commands as c
from services.local import LocalShop, open_local_shop
from services.local.scheduling import ShopScheduler, gift_backoff_s
from tests.contract.helpers import order, wait_until


def test_a_scheduled_order_survives_a_restart_and_reaches_the_kitchen(db_path):
    shop = open_local_shop(db_path)
    receipt = shop.place_order(order(scheduled_for=datetime.now(timezone.utc) + timedelta(seconds=2)))
    shop.close()  # the shop closes before the order's time: the job waits in the database
    shop = open_local_shop(db_path)
    try:
        assert receipt.order_id not in [t.order_id for t in shop.kitchen_tickets()]
        wait_until(lambda: receipt.order_id in [t.order_id for t in shop.kitchen_tickets()], timeout=60)
    finally:
        shop.close()


def test_a_ticket_older_than_the_threshold_raises_one_late_event(db_path):
    now = [time.time()]
    shop = LocalShop(db_path, clock=lambda: now[0])
    try:
        receipt = shop.place_order(order())
        assert shop.execute(c.FlagLateTickets(threshold_s=600)) == 0
        now[0] += 601
        assert shop.execute(c.FlagLateTickets(threshold_s=600)) == 1
        assert shop.execute(c.FlagLateTickets(threshold_s=600)) == 0, "raised once per ticket"
        assert shop.kitchen_tickets()[0].late
        assert "TicketLate" in [e.event for e in shop.mypage(receipt.order_id).timeline]
    finally:
        shop.close()


class GiftSideDownFor:
    """The gift side as seen from the order side, failing its first ``n`` calls (as a remote gift service
    that is down would), then answering through the real in-process gift context."""

    def __init__(self, n: int) -> None:
        self.failures_left = n

    def __call__(self, uow):
        from services.local.bootstrap import InProcessGiftService
        real, outer = InProcessGiftService(uow), self

        class Flaky:
            def send(self, order_id):
                if outer.failures_left > 0:
                    outer.failures_left -= 1
                    raise ConnectionError("gift service unreachable")
                return real.send(order_id)
        return Flaky()


def test_the_order_stands_when_the_gift_side_is_down_and_the_gift_follows_on_retry(db_path):
    shop = open_local_shop(db_path, gift_service=GiftSideDownFor(1))
    try:
        receipt = shop.place_order(order())
        assert (receipt.status, receipt.gift_status) == ("placed", "deferred")
        assert shop.mypage(receipt.order_id).gift_status == "deferred"
        # the scheduler retries after gift_backoff_s(1) = 2 s
        wait_until(lambda: shop.mypage(receipt.order_id).gift_status == "sent", timeout=60)
        assert shop.mypage(receipt.order_id).gift_kind == shop.gift_stock().kind == "사탕"
    finally:
        shop.close()


def test_gift_retry_backoff_grows_and_is_capped():
    assert [gift_backoff_s(n) for n in (1, 2, 3)] == [2, 4, 8]
    assert gift_backoff_s(20) == 300


def test_a_missed_job_is_logged_not_silent(db_path, caplog):
    shop = LocalShop(db_path)
    scheduler = ShopScheduler(shop)
    try:
        with caplog.at_level(logging.WARNING, logger="services.local.scheduling"):
            scheduler.scheduler.add_job(print, "date", run_date=datetime.now(timezone.utc) - timedelta(seconds=30),
                                        id="stale", misfire_grace_time=1)
            wait_until(lambda: "missed its time" in caplog.text, timeout=60)
        assert "stale" in caplog.text
    finally:
        scheduler.shutdown()
        shop.close()


def test_a_deferred_gift_whose_job_was_lost_is_retried_by_the_sweep(db_path):
    shop = LocalShop(db_path, gift_service=GiftSideDownFor(1))  # no scheduler: no retry job is ever added
    receipt = shop.place_order(order())
    shop.close()
    shop = LocalShop(db_path)
    try:
        assert shop.mypage(receipt.order_id).gift_status == "deferred"
        from services.local.scheduling import _SHOPS, housekeeping
        _SHOPS["sweep-test"] = shop
        housekeeping("sweep-test", late_threshold_s=900)
        assert shop.mypage(receipt.order_id).gift_status == "sent"
    finally:
        _SHOPS.pop("sweep-test", None)
        shop.close()


def test_a_cancelled_orders_deferred_gift_shows_cancelled_on_mypage(db_path):
    shop = LocalShop(db_path, gift_service=GiftSideDownFor(1))
    try:
        receipt = shop.place_order(order())
        shop.cancel_order(receipt.order_id, "left")
        assert shop.execute(c.RetryDeferredGifts()) == 0
        assert shop.mypage(receipt.order_id).gift_status == "cancelled"
    finally:
        shop.close()
