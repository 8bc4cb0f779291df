"""The chain's wire formats: every command survives JSON, bad bodies are InvalidInput, events survive NATS."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services import commands as c
from services import menu_commands as menu
from services import payment_commands as p
from services.chain import wire
from services.errors import InvalidInput
from services.events import Ordered, StockChecked

EXAMPLES = [
    c.PlaceOrder(lines=(c.OrderLine("bibimbap", 2, "no egg"), c.OrderLine("tea", 1)), customer_name="Kim",
                 phone="010-1234-5678", address="Seoul", client_ref="ref-1",
                 scheduled_for=datetime(2026, 11, 29, 19, 0, tzinfo=timezone(timedelta(hours=9)))),
    c.CancelOrder(3, "changed mind"), c.StartCooking(3), c.FinishCooking(3), c.RecallTicket(3),
    c.ReleaseScheduledTicket(3), c.ReleaseDueTickets(), c.FlagLateTickets(900.0), c.PickUp(3, "Lee"),
    c.Deliver(3), c.MarkSoldOut("tea"), c.Restock("tea", 5), c.SetGiftStock(10, "Candy"), c.SendGift(3),
    c.RetryDeferredGifts(),
    p.TakePayment(3, (p.Tender("cash", 1_000, 5_000, guest="Guest 1"), p.Tender("card", 500, approval="30012345",
                                                                          last4="4242")), "01012345678", "kim"),
    p.OpenDay(100_000, "kim"), p.CloseDay(99_000, "manager"),
    menu.SaveCategory("stews", "찌개", "Stews", 2, "manager"),
    menu.SaveMenuItem("tea", "차", "Tea", 1_000, "drinks", "bar", False, 5, "manager"),
]


def test_every_command_type_has_an_example():
    assert {type(e).__name__ for e in EXAMPLES} == set(wire.COMMAND_TYPES)


@pytest.mark.parametrize("command", EXAMPLES, ids=lambda e: type(e).__name__)
def test_a_command_survives_json(command):
    body = wire.command_to_json(command)
    assert wire.command_from_json(type(command).__name__, body) == command


def test_place_order_is_plain_json_with_an_offset():
    body = wire.command_to_json(EXAMPLES[0])
    assert body["lines"][0] == {"item_code": "bibimbap", "quantity": 2, "note": "no egg"}
    assert body["scheduled_for"] == "2026-11-29T19:00:00+09:00"


@pytest.mark.parametrize("name, body, words", [
    ("Launch", {}, "Unknown command 'Launch'"),
    ("StartCooking", {"order_id": 1, "colour": "red"}, "no field colour"),
    ("StartCooking", {}, "order_id"),
    ("StartCooking", {"order_id": 0}, "whole number from 1 to"),
    ("StartCooking", [1], "JSON object"),
    ("PlaceOrder", {"lines": [{"item_code": "tea", "quantity": 1, "size": "L"}]}, "no field size"),
    ("PlaceOrder", {"lines": ["tea"]}, "order line must be an object"),
    ("PlaceOrder", {"lines": [{"item_code": "tea", "quantity": 1}], "scheduled_for": "tonight"}, "ISO-8601"),
    ("PlaceOrder", {"lines": []}, "empty"),
    ("TakePayment", {"order_id": 1, "tenders": ["cash"]}, "tender must be an object"),
    ("TakePayment", {"order_id": 1, "tenders": [{"kind": "cash", "amount": 1, "tip": 2}]}, "no field tip"),
    ("TakePayment", {"order_id": 1, "tenders": [{"kind": "cash"}]}, "amount"),
    ("TakePayment", {"order_id": 1, "tenders": [{"kind": "coupon", "amount": 1}]}, "Tender must be one of"),
    ("TakePayment", {"order_id": 1, "tenders": []}, "at least one tender"),
])
def test_a_bad_body_is_invalid_input_naming_what_is_wrong(name, body, words):
    with pytest.raises(InvalidInput, match=words):
        wire.command_from_json(name, body)


def test_an_event_survives_its_message():
    event = Ordered(order_id=7, customer_name="Kim", phone="", address="", lines=({"item_code": "tea"},),
                    total=3000, placed_at=1.5)
    message = wire.event_message("SIKDANG", "ordering", 42, 2.5, event.name, event.order_id, event.to_dict())
    assert message.subject == "sikdang.ordering.Ordered"
    assert message.headers == {"Nats-Msg-Id": "ordering:42", "Sikdang-Order-Id": "7"}
    assert wire.decode_event(message.body) == wire.ReceivedEvent("ordering:42", 2.5, event)


def test_an_event_from_its_outbox_json():
    event = StockChecked(order_id=7, in_stock=False, missing=("tea",))
    data = '{"order_id":7,"in_stock":false,"missing":["tea"]}'
    message = wire.event_message("S", "kitchen", 1, 2.0, "StockChecked", 7, data)
    assert wire.decode_event(message.body).event == event
