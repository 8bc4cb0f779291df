"""Every handler, through the real bus on in-memory fakes (the same ``build_bus`` as the shop)."""
from __future__ import annotations

import copy
from datetime import datetime, UTC

import pytest

from services.commands import (CancelOrder, FinishCooking, FlagLateTickets, MarkSoldOut, PickUp, ReleaseDueTickets,
                               ReleaseScheduledTicket, Restock, RetryDeferredGifts, SetGiftStock, StartCooking)
from services.delivery import handlers as delivery
from services.errors import UnknownItem, UnknownOrder
from services.events import Ordered
from services.infra.bus import MAX_ATTEMPTS
from services.statuses import DeliveryStatus, GiftStatus, OrderStatus, TicketStatus
from services.local.bootstrap import InProcessGiftService
from tests.unit.fakes import FakeShop, FakeUnitOfWork
from tests.unit.helpers import order, place


def test_place_order_takes_stock_sends_a_gift_and_prepares_the_delivery():
    shop = FakeShop()
    order_id = place(shop, ("bibimbap", 2))
    t = shop.tables
    assert t.orders[order_id].status is OrderStatus.PLACED and t.orders[order_id].gift_status == "sent"
    assert t.stock["bibimbap"] == 8 and t.gift_stock.quantity == 4
    assert t.tickets[order_id].status is TicketStatus.QUEUED
    assert t.deliveries[order_id].status is DeliveryStatus.PENDING
    assert t.mypage[order_id]["cook_status"] == "queued"


def test_the_same_client_ref_places_one_order():
    shop = FakeShop()
    first = shop.execute(order(client_ref="till-1"))
    assert shop.execute(order(client_ref="till-1")) == first and len(shop.tables.orders) == 1


def test_cancel_returns_the_stock_and_the_gift():
    shop = FakeShop()
    order_id = place(shop, ("bibimbap", 2))
    shop.execute(CancelOrder(order_id, "  "))
    t = shop.tables
    assert t.orders[order_id].reason == "@customer_request"   # a code each screen words in its reader's language
    assert t.stock["bibimbap"] == 10 and t.gift_stock.quantity == 5
    assert t.gifts[order_id].status is GiftStatus.CANCELLED
    assert t.deliveries[order_id].status is DeliveryStatus.CANCELLED


def test_commands_on_an_unknown_order_say_so_and_change_nothing():
    shop = FakeShop()
    for command in (CancelOrder(99, ""), StartCooking(99), FinishCooking(99)):
        with pytest.raises(UnknownOrder, match="99"):
            shop.execute(command)
    assert shop.names() == []


def test_an_out_of_stock_order_is_cancelled_with_the_codes_of_what_is_missing():
    shop = FakeShop()
    shop.execute(MarkSoldOut("bulgogi"))
    order_id = place(shop, ("bulgogi", 1), ("cola", 1))
    assert shop.tables.orders[order_id].reason == "@out_of_stock:bulgogi"   # worded by each screen
    assert shop.tables.stock["cola"] == 10, "nothing was taken"
    with pytest.raises(UnknownItem):
        shop.execute(MarkSoldOut("pizza"))


def test_restock_and_gift_stock():
    shop = FakeShop()
    shop.execute(Restock("cola", 5))
    shop.execute(SetGiftStock(0, "Balloon"))
    assert shop.tables.stock["cola"] == 15 and shop.tables.gift_stock.kind == "Balloon"
    order_id = place(shop)
    assert shop.tables.orders[order_id].gift_status == "out_of_stock"
    with pytest.raises(UnknownItem):
        shop.execute(Restock("pizza", 1))


def test_cooked_food_starts_the_delivery_and_the_pickup_makes_the_bump_final():
    shop = FakeShop()
    order_id = place(shop)
    shop.execute(FinishCooking(order_id))
    assert shop.tables.orders[order_id].status is OrderStatus.COOKED
    assert shop.tables.deliveries[order_id].status is DeliveryStatus.WAITING
    shop.execute(PickUp(order_id, ""))
    assert shop.tables.deliveries[order_id].rider == "Rider"
    assert shop.tables.tickets[order_id].status is TicketStatus.COLLECTED


def test_scheduled_tickets_are_released_when_due_and_only_once():
    shop = FakeShop()
    order_id = place(shop, scheduled_for=datetime.fromtimestamp(shop.now + 600, UTC))
    assert shop.tables.tickets[order_id].status is TicketStatus.SCHEDULED
    assert shop.execute(ReleaseDueTickets()) == 0
    shop.now += 600
    assert shop.execute(ReleaseDueTickets()) == 1
    shop.execute(ReleaseScheduledTicket(order_id))
    assert shop.names().count("TicketReleased") == 1


def test_late_tickets_are_flagged_once():
    shop = FakeShop()
    place(shop)
    shop.now += 1000
    assert shop.execute(FlagLateTickets(900)) == 1
    assert shop.execute(FlagLateTickets(900)) == 0


class _GiftSideDown:
    up = False

    def __init__(self, uow) -> None:
        self._real = InProcessGiftService(uow)

    def send(self, order_id):
        if not _GiftSideDown.up:
            raise ConnectionError("gift side down")
        return self._real.send(order_id)


def test_deferred_gifts_are_retried_and_a_cancelled_orders_gift_is_given_up():
    _GiftSideDown.up = False
    shop = FakeShop(gift_service=_GiftSideDown)
    kept, cancelled = place(shop), place(shop)
    shop.execute(CancelOrder(cancelled, "no"))
    assert shop.execute(RetryDeferredGifts()) == 1
    _GiftSideDown.up = True
    assert shop.execute(RetryDeferredGifts()) == 0
    assert shop.tables.orders[kept].gift_status == "sent"
    assert shop.tables.orders[cancelled].gift_status == "cancelled" and cancelled not in shop.tables.gifts


def test_every_event_delivered_twice_to_every_consumer_changes_nothing():
    shop = FakeShop()
    order_id = place(shop)
    shop.execute(FinishCooking(order_id))
    place(shop)
    before = copy.deepcopy(shop.tables)
    uow = FakeUnitOfWork(shop.tables, shop.now, shop.bus)
    for name in shop.bus.contexts:
        uow.positions[name] = 0
        shop.bus.deliver(uow, name, list(shop.tables.log))
        shop.bus.deliver(uow, name, list(shop.tables.log))
    for table in ("orders", "tickets", "deliveries", "gifts", "gift_stock", "stock", "mypage", "log"):
        assert getattr(shop.tables, table) == getattr(before, table), table


def test_a_failing_consumer_is_left_behind_counted_and_parked_after_max_attempts(monkeypatch):
    def refuse(event, ctx):
        raise RuntimeError("delivery table is broken")
    monkeypatch.setitem(delivery.EVENT_HANDLERS, Ordered, refuse)
    shop = FakeShop()
    order_id = place(shop)
    assert shop.tables.orders[order_id].status is OrderStatus.PLACED, "the order goes ahead"
    assert order_id not in shop.tables.deliveries
    assert shop.tables.failures == {("delivery", 1): 1}
    for _ in range(MAX_ATTEMPTS - 1):
        shop.execute(Restock("cola", 1))   # each unit of work retries the backlog first
    assert shop.tables.dead_letters[0][:2] == ("delivery", 1) and shop.tables.failures == {}
