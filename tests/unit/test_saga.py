"""The saga table (services/saga.py) is what the handlers do: every reaction in it is a handler of its
context and no handler reacts to anything else; and each row, run on the in-memory bus, emits what
the table says (FTGO-style given / when / expect tables)."""
from __future__ import annotations

import pytest

from services import saga
from services.commands import (CancelOrder, Deliver, FinishCooking, MarkSoldOut, PickUp, RecallTicket,
                               SendGift, StartCooking)
from services.errors import CancelRefused, InvalidTransition
from services.events import Event
from services.local.bootstrap import build_bus
from tests.unit.fakes import FAKE_REPOSITORIES, FakeShop
from tests.unit.helpers import place


def test_every_reaction_of_the_saga_is_a_handler_of_its_context_and_no_handler_is_missing_from_it():
    bus = build_bus(repositories=FAKE_REPOSITORIES)
    handled = {(name, event) for name, context in bus.contexts.items() for event in context.event_handlers}
    assert handled == saga.reactions()


def test_every_command_of_the_saga_is_handled_by_the_context_that_takes_the_step():
    bus = build_bus(repositories=FAKE_REPOSITORIES)
    for action in saga.actions():
        if not issubclass(action.on, Event):
            assert action.on in bus.contexts[action.context].command_handlers, action


def _emitted_by_steps() -> set[type]:
    return {event for action in [*saga.actions(), saga.GIFT_FALLBACK] for event in action.emits}


def _cooking(shop):
    order_id = place(shop)
    shop.execute(StartCooking(order_id))
    return order_id


def _cooked(shop):
    order_id = place(shop)
    shop.execute(FinishCooking(order_id))
    return order_id


def _on_the_way(shop):
    order_id = _cooked(shop)
    shop.execute(PickUp(order_id, "Park"))
    return order_id


def _out_of_stock(shop):
    shop.execute(MarkSoldOut("bulgogi"))
    return None


class _FailingGift:
    def __init__(self, _uow) -> None:
        pass

    def send(self, order_id: int):
        raise TimeoutError("gift side is slow")


# given (a scenario, returning the order) | when (a command for that order; None: place one) | expect
CASES = [
    ("a new order", None, None,
     ["Ordered", "GiftSent", "StockChecked"]),
    ("an item out of stock", _out_of_stock, None,
     ["Ordered", "GiftSent", "StockChecked", "OrderCancelled", "GiftSendCancelled"]),
    ("a placed order", place, CancelOrder,
     ["OrderCancelled", "CookCancelled", "GiftSendCancelled"]),
    ("an order cooking", _cooking, CancelOrder,
     ["OrderCancelled", "CookCancelled", "GiftSendCancelled"]),
    ("a placed order", place, FinishCooking,
     ["Cooked", "DeliveryStarted"]),
    ("a cooked order", _cooked, RecallTicket,
     ["CookRecalled", "DeliveryCancelled"]),
    ("a cooked order", _cooked, PickUp,
     ["PickedUp"]),
    ("an order on the way", _on_the_way, Deliver,
     ["Delivered"]),
]


@pytest.mark.parametrize("given, scenario, when, expect", CASES,
                         ids=[f"{c[0]}-{c[2] and c[2].__name__}" for c in CASES])
def test_given_when_expect(given, scenario, when, expect):
    shop = FakeShop()
    order_id = scenario(shop) if scenario else None
    start = shop.position
    if when is None:
        place(shop, ("bulgogi", 1))
    else:
        shop.execute(when(order_id, "Park") if when is PickUp else when(order_id))
    assert shop.names(start) == expect
    assert {type(e) for e in shop.events(start)} <= _emitted_by_steps()


# given | when | refused with
REFUSALS = [
    ("a cooked order", _cooked, CancelOrder, CancelRefused),
    ("an order on the way", _on_the_way, RecallTicket, InvalidTransition),
    ("a placed order", place, PickUp, InvalidTransition),
    ("a placed order", place, Deliver, InvalidTransition),
]


@pytest.mark.parametrize("given, scenario, when, error", REFUSALS, ids=[f"{r[0]}-{r[2].__name__}" for r in REFUSALS])
def test_given_when_refused(given, scenario, when, error):
    shop = FakeShop()
    order_id = scenario(shop)
    start = shop.position
    with pytest.raises(error):
        shop.execute(when(order_id, "Park") if when is PickUp else when(order_id))
    assert shop.names(start) == [], "a refused command emits nothing"


def test_a_failing_gift_call_defers_the_gift_and_the_order_stands():
    shop = FakeShop(gift_service=_FailingGift)
    place(shop)
    assert shop.names() == ["Ordered", "GiftDeferred", "StockChecked"]
    assert saga.GIFT_FALLBACK.emits == (shop.events()[1].__class__,)


def test_the_gift_call_sends_one_gift_however_often_it_is_made():
    shop = FakeShop()
    order_id = place(shop)
    again = shop.execute(SendGift(order_id))
    assert again.status == "sent" and shop.names().count("GiftSent") == 1
