"""Bad input gets a clear error naming the problem, and writes nothing."""
from __future__ import annotations

import pytest

from services.errors import InvalidInput, InvalidTransition, UnknownItem, UnknownOrder
from services.port import OrderLine, PlaceOrder
from tests.contract.helpers import order


def _event_count(shop) -> int:
    return len(shop.events_since(0, 5000))


@pytest.mark.parametrize("make, error, message", [
    (lambda: order(("no-such-dish", 1)), UnknownItem, "Unknown menu item: no-such-dish"),
    (lambda: order(("bibimbap", 0)), InvalidInput, "at least 1"),
    (lambda: order(("bibimbap", -3)), InvalidInput, "at least 1"),
    (lambda: order(("bibimbap", 100_000)), InvalidInput, "at most 99"),
    (lambda: PlaceOrder(lines=()), InvalidInput, "empty"),
    (lambda: order(phone="12345"), InvalidInput, "Malformed phone number"),
    (lambda: order(phone="010-abcd-5678"), InvalidInput, "Malformed phone number"),
])
def test_a_bad_order_is_refused_and_nothing_is_written(shop, make, error, message):
    events, orders = _event_count(shop), shop.todays_orders()
    with pytest.raises(error, match=message):
        shop.place_order(make())
    assert _event_count(shop) == events and shop.todays_orders() == orders


@pytest.mark.parametrize("make, message", [
    (lambda: OrderLine("bibimbap", 1.5), "whole number"),
    (lambda: OrderLine("bibimbap", True), "whole number"),
    (lambda: order(name=123), "Customer name must be text"),
    (lambda: order(address="x" * 201), "Address is longer than 200"),
    (lambda: order(phone=1012345678), "Phone number must be text"),
    (lambda: order(scheduled_for="tomorrow noon"), "Scheduled time must be a date and time"),
    (lambda: order(client_ref=42), "client_ref must be text"),
    (lambda: PlaceOrder(lines=({"item_code": "bibimbap", "quantity": 1},)), "OrderLine"),
    (lambda: OrderLine("bibimbap", 1, "n" * 201), "Note for bibimbap is longer than 200"),
])
def test_malformed_commands_are_refused_on_creation(make, message):
    with pytest.raises(InvalidInput, match=message):
        make()


def test_cancel_reasons_rider_names_and_order_numbers_are_checked(shop):
    receipt = shop.place_order(order())
    events = _event_count(shop)
    with pytest.raises(InvalidInput, match="Cancel reason is longer than 200"):
        shop.cancel_order(receipt.order_id, "r" * 1_000_000)
    with pytest.raises(InvalidInput, match="Order number must be a positive whole number"):
        shop.cancel_order(-1, "typo")
    with pytest.raises(InvalidInput, match="Rider name must be text"):
        shop.pick_up(receipt.order_id, 7)
    assert _event_count(shop) == events


@pytest.mark.parametrize("action", ["cancel_order", "start_cooking", "finish_cooking", "pick_up", "deliver",
                                    "recall_ticket"])
def test_commands_on_an_unknown_order_name_it(shop, action):
    events = _event_count(shop)
    with pytest.raises(UnknownOrder, match="9999"):
        getattr(shop, action)(9999)
    assert _event_count(shop) == events
    with pytest.raises(UnknownOrder, match="9999"):
        shop.mypage(9999)


def test_illegal_kitchen_and_delivery_steps_are_refused(shop):
    receipt = shop.place_order(order())
    with pytest.raises(InvalidTransition, match="not ready for pickup"):
        shop.pick_up(receipt.order_id, "Park")
    shop.start_cooking(receipt.order_id)
    with pytest.raises(InvalidTransition, match="cooking: it cannot be started"):
        shop.start_cooking(receipt.order_id)
    with pytest.raises(InvalidTransition, match="cannot be marked delivered"):
        shop.deliver(receipt.order_id)


def test_stock_commands_refuse_unknown_items_and_silly_quantities(shop):
    with pytest.raises(UnknownItem, match="ghost"):
        shop.mark_sold_out("ghost")
    with pytest.raises(UnknownItem, match="ghost"):
        shop.restock("ghost", 3)
    with pytest.raises(InvalidInput, match="1-10000"):
        shop.restock("bibimbap", 0)
    with pytest.raises(InvalidInput, match="0-100000"):
        shop.set_gift_stock(-1)
