"""The aggregates alone: each transition returns its events, and an illegal one raises."""
from __future__ import annotations

from datetime import datetime, UTC

import pytest

from services.delivery.model import Delivery
from services.errors import CancelRefused, InvalidInput, InvalidTransition, UnknownItem
from services.events import (CookCancelled, Cooked, CookRecalled, CookStarted, Delivered, DeliveryCancelled,
                             DeliveryStarted, GiftDeferred, GiftOutOfStock, GiftSendCancelled, GiftSent, GiftStockSet,
                             OrderCancelled, Ordered, PickedUp, StockChecked, TicketLate, TicketReleased,
                             TicketScheduled)
from services.gift.model import Gift, GiftStock
from services.kitchen.model import Ticket, demand_of
from services.mypage import model as mypage
from services.ordering.model import Order
from services.statuses import (CancelledBy, DeliveryStatus, GiftStatus, OrderStatus, Progress, TicketStatus)
from tests.unit.fakes import MENU
from tests.unit.helpers import order

NOW = 1_000_000.0


def _order(**kw) -> Order:
    placed = Order.place(order(("bibimbap", 2), ("cola", 1), **kw), MENU, NOW)
    placed.numbered(7)
    return placed


# -- Order --------------------------------------------------------------------------------------
def test_an_order_is_priced_from_the_menu_and_placed_when_numbered():
    placed = Order.place(order(("bibimbap", 2), ("cola", 1)), MENU, NOW)
    assert placed.total == 2 * 9500 + 2000 and placed.status is OrderStatus.PLACED and placed.id is None
    [event] = placed.numbered(7)
    assert isinstance(event, Ordered) and event.order_id == 7 and event.total == placed.total
    with pytest.raises(InvalidTransition):
        placed.numbered(8)


def test_an_order_refuses_unknown_items_and_bad_schedules():
    with pytest.raises(UnknownItem, match="pizza"):
        Order.place(order(("pizza", 1)), MENU, NOW)
    with pytest.raises(InvalidInput, match="past"):
        Order.place(order(scheduled_for=datetime.fromtimestamp(NOW - 60, UTC)), MENU, NOW)
    with pytest.raises(InvalidInput, match="7 days"):
        Order.place(order(scheduled_for=datetime.fromtimestamp(NOW + 8 * 86400, UTC)), MENU, NOW)


def test_an_order_is_cancelled_once_and_never_after_it_is_cooked():
    placed = _order()
    assert placed.cancel("changed mind", CancelledBy.CUSTOMER) == [
        OrderCancelled(order_id=7, reason="changed mind", by="customer")]
    with pytest.raises(InvalidTransition, match="already cancelled"):
        placed.cancel("again", CancelledBy.CUSTOMER)
    cooked = _order()
    assert cooked.mark_cooked() == [] and cooked.status == "cooked"
    with pytest.raises(CancelRefused, match="already cooked"):
        cooked.cancel("too late", CancelledBy.CUSTOMER)
    with pytest.raises(InvalidTransition):
        cooked.mark_cooked()


def test_an_order_defers_its_gift_and_gives_it_up_when_cancelled():
    placed = _order()
    assert placed.defer_gift("slow") == [GiftDeferred(order_id=7, error="slow", attempts=1)]
    assert placed.defer_gift("slow")[0].attempts == 2 and placed.gift_status is GiftStatus.DEFERRED
    assert placed.give_up_gift() == [GiftSendCancelled(order_id=7, gift_kind="")]
    with pytest.raises(InvalidTransition):
        placed.give_up_gift()
    assert placed.record_gift("sent", "Candy") == [] and placed.gift_kind == "Candy"


# -- Ticket -------------------------------------------------------------------------------------
def _ordered(scheduled_for=None) -> Ordered:
    lines = tuple({"item_code": code, "name_ko": MENU[code].name_ko, "name_en": MENU[code].name_en,
                   "quantity": quantity, "note": "", "unit_price": MENU[code].price}
                  for code, quantity in (("bibimbap", 2), ("bibimbap", 1), ("cola", 1)))
    return Ordered(order_id=7, customer_name="Kim", phone="010", address="x", lines=lines, total=0,
                   placed_at=NOW, scheduled_for=scheduled_for)


def test_a_ticket_opens_only_when_every_line_is_in_stock():
    assert demand_of(_ordered().lines) == {"bibimbap": 3, "cola": 1}
    ticket, events = Ticket.open(_ordered(), {"bibimbap": 3, "cola": 1}, NOW)
    assert ticket.status is TicketStatus.QUEUED and ticket.takes_stock
    assert events == [StockChecked(order_id=7, in_stock=True, missing=())]
    rejected, events = Ticket.open(_ordered(), {"bibimbap": 2, "cola": 1}, NOW)
    assert rejected.status is TicketStatus.REJECTED and not rejected.takes_stock
    assert events == [StockChecked(order_id=7, in_stock=False, missing=("bibimbap",))]


def test_a_scheduled_ticket_is_released_once():
    ticket, events = Ticket.open(_ordered(scheduled_for=NOW + 600), {"bibimbap": 9, "cola": 9}, NOW)
    assert ticket.status is TicketStatus.SCHEDULED and events[-1] == TicketScheduled(order_id=7, release_at=NOW + 600)
    assert ticket.release(NOW + 600) == [TicketReleased(order_id=7)]
    assert ticket.release(NOW + 601) == [] and ticket.created_at == NOW + 600 and not ticket.late


def test_a_scheduled_ticket_released_long_after_its_time_is_late_at_once():
    """The shop was closed at its time: the cook must see that the customer already waits."""
    ticket, _ = Ticket.open(_ordered(scheduled_for=NOW + 600), {"bibimbap": 9, "cola": 9}, NOW)
    assert ticket.release(NOW + 600 + 3600) == [TicketReleased(order_id=7), TicketLate(order_id=7, age_s=3600.0)]
    assert ticket.late


def test_a_recalled_order_may_be_cancelled_again():
    placed = _order()
    placed.mark_cooked()
    with pytest.raises(CancelRefused):
        placed.cancel("too late", by=CancelledBy.CUSTOMER)
    assert placed.reopen() == [] and placed.status is OrderStatus.PLACED
    assert placed.cancel("changed their mind", by=CancelledBy.CUSTOMER)[0].reason == "changed their mind"
    with pytest.raises(InvalidTransition):
        placed.reopen()


def test_a_ticket_walks_its_machine_and_refuses_illegal_moves():
    ticket, _ = Ticket.open(_ordered(), {"bibimbap": 9, "cola": 9}, NOW)
    with pytest.raises(InvalidTransition, match="cannot be recalled"):
        ticket.recall()
    assert ticket.start(NOW + 1) == [CookStarted(order_id=7)]
    with pytest.raises(InvalidTransition, match="cannot be started"):
        ticket.start(NOW + 2)
    assert ticket.finish(NOW + 3) == [Cooked(order_id=7)]
    assert ticket.recall() == [CookRecalled(order_id=7)] and ticket.status is TicketStatus.COOKING
    ticket.finish(NOW + 4)
    assert ticket.collect() == [] and ticket.status is TicketStatus.COLLECTED
    with pytest.raises(InvalidTransition, match="already picked up"):
        ticket.recall()
    with pytest.raises(InvalidTransition):
        ticket.cancel(NOW)


def test_a_cancelled_ticket_returns_its_stock_only_when_nothing_was_cooked():
    queued, _ = Ticket.open(_ordered(), {"bibimbap": 9, "cola": 9}, NOW)
    assert queued.cancel(NOW) == [CookCancelled(order_id=7, stock_returned=True)]
    cooking, _ = Ticket.open(_ordered(), {"bibimbap": 9, "cola": 9}, NOW)
    cooking.start(NOW)
    assert cooking.cancel(NOW) == [CookCancelled(order_id=7, stock_returned=False)]


def test_a_ticket_is_flagged_late_once():
    ticket, _ = Ticket.open(_ordered(), {"bibimbap": 9, "cola": 9}, NOW)
    assert not ticket.is_late(NOW + 10, 900)
    with pytest.raises(InvalidTransition):
        ticket.flag_late(NOW + 10, 900)
    assert ticket.flag_late(NOW + 901, 900) == [TicketLate(order_id=7, age_s=901.0)]
    assert not ticket.is_late(NOW + 2000, 900)


# -- Delivery -----------------------------------------------------------------------------------
def test_a_delivery_starts_is_withdrawn_picked_up_and_delivered():
    delivery = Delivery(order_id=7, customer_name="Kim", phone="010", address="x")
    with pytest.raises(InvalidTransition, match="not ready for pickup yet"):
        delivery.pick_up("Park", NOW)
    assert delivery.start(NOW) == [DeliveryStarted(order_id=7, address="x")]
    assert delivery.withdraw() == [DeliveryCancelled(order_id=7)] and delivery.status is DeliveryStatus.PENDING
    delivery.start(NOW)
    assert delivery.pick_up("Park", NOW) == [PickedUp(order_id=7, rider="Park")]
    with pytest.raises(InvalidTransition, match="on the way"):
        delivery.start(NOW)
    assert delivery.deliver(NOW) == [Delivered(order_id=7)]
    with pytest.raises(InvalidTransition, match="delivered"):
        delivery.deliver(NOW)


def test_only_a_pending_delivery_is_cancelled():
    delivery = Delivery(order_id=7, customer_name="Kim", phone="010", address="x")
    assert delivery.cancel() == [] and delivery.status is DeliveryStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        delivery.cancel()


# -- Gift ---------------------------------------------------------------------------------------
def test_gifts_are_sent_while_stock_lasts_and_come_back_when_cancelled():
    stock = GiftStock("Candy", 1)
    gift, events = stock.send(7, NOW)
    assert gift.status is GiftStatus.SENT and events == [GiftSent(order_id=7, gift_kind="Candy")]
    none, events = stock.send(8, NOW)
    assert none.status is GiftStatus.OUT_OF_STOCK and events == [GiftOutOfStock(order_id=8)]
    assert none.outcome.kind == "" and gift.outcome.kind == "Candy"
    assert gift.cancel(NOW) == [GiftSendCancelled(order_id=7, gift_kind="Candy")]
    with pytest.raises(InvalidTransition):
        gift.cancel(NOW)
    assert stock.take_back(gift) and stock.quantity == 1
    assert not stock.take_back(Gift(9, "Balloon", GiftStatus.CANCELLED))


def test_gift_stock_is_set_with_its_kind():
    stock = GiftStock("Candy", 0)
    assert stock.set(5, " Balloon ") == [GiftStockSet(order_id=0, gift_kind="Balloon", quantity=5)]
    assert stock.set(3) == [GiftStockSet(order_id=0, gift_kind="Balloon", quantity=3)]


# -- Mypage projection ----------------------------------------------------------------------------
def test_a_gift_deferred_after_the_gift_was_decided_leaves_it_as_decided():
    """The chain's race: ordering's call timed out after the gift was issued, and the gift's relay
    published GiftSent before ordering's GiftDeferred reached the stream."""
    timed_out = GiftDeferred(order_id=7, error="timed out", attempts=1)

    def after(event):   # the order's row once ``event`` followed Ordered
        return mypage.apply(mypage.apply(None, 1, NOW, _ordered()), 2, NOW, event)
    late = mypage.apply(after(GiftSent(order_id=7, gift_kind="Candy")), 3, NOW, timed_out)
    assert (late["gift_status"], late["gift_kind"], late["last_position"]) == ("sent", "Candy", 3)
    assert mypage.apply(after(GiftOutOfStock(order_id=7)), 3, NOW, timed_out)["gift_status"] == "out_of_stock"
    cancelled = after(GiftSendCancelled(order_id=7, gift_kind="Candy"))
    assert mypage.apply(cancelled, 3, NOW, timed_out)["gift_status"] == "cancelled"
    deferred = after(timed_out)
    assert deferred["gift_status"] == "deferred"          # before any answer, deferred is the truth
    assert mypage.apply(deferred, 3, NOW, GiftSent(order_id=7, gift_kind="Candy"))["gift_status"] == "sent"


def test_the_mypage_row_follows_the_saga_and_ignores_an_event_seen_before():
    row = mypage.apply(None, 1, NOW, _ordered())
    assert row["order_status"] == "placed" and mypage.overall_status(row) == Progress.PLACED
    row = mypage.apply(row, 2, NOW, StockChecked(order_id=7, in_stock=True))
    row = mypage.apply(row, 3, NOW, Cooked(order_id=7))
    assert mypage.overall_status(row) == Progress.COOKED
    row = mypage.apply(row, 4, NOW, PickedUp(order_id=7, rider="Park"))
    assert mypage.overall_status(row) == Progress.DELIVERING
    assert mypage.apply(row, 3, NOW, Cooked(order_id=7)) == row
    row = mypage.apply(row, 5, NOW, GiftSent(order_id=7, gift_kind="Candy"))
    assert (row["gift_status"], row["gift_kind"]) == ("sent", "Candy")
    assert mypage.overall_status(mypage.apply(row, 6, NOW, OrderCancelled(order_id=7, reason="x", by="kitchen"))) \
        == Progress.CANCELLED
