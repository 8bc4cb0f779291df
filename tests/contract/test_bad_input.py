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


def test_a_quantity_that_is_not_a_whole_number_is_refused():
    with pytest.raises(InvalidInput, match="whole number"):
        OrderLine("bibimbap", 1.5)


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
