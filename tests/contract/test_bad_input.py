"""Bad input gets a clear error naming the problem, and writes nothing."""
from __future__ import annotations

import pytest

from services import commands as c
from services.errors import InvalidInput, InvalidTransition, NotSaved, ShopError, UnknownItem, UnknownOrder
from services.port import OrderLine, PlaceOrder
from tests.contract.helpers import order

LONE = "\ud800"     # half of a UTF-16 pair: Python holds it, UTF-8 (SQLite, JSON) cannot


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
    with pytest.raises(InvalidInput, match="Order number must be a whole number from 1"):
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


@pytest.mark.parametrize("make, field", [
    (lambda: order(name=f"Kim{LONE}"), "Customer name"),
    (lambda: order(address=f"{LONE} Sejong-daero"), "Address"),
    (lambda: order(("bibimbap", 1, f"no{LONE}onion")), "Note for bibimbap"),
    (lambda: order((f"bibim{LONE}", 1)), "Item code"),
    (lambda: order(client_ref=f"ref{LONE}"), "client_ref"),
])
def test_a_lone_surrogate_is_named_not_a_traceback(make, field):
    with pytest.raises(InvalidInput, match=f"{field} contains an invalid character"):
        make()


@pytest.mark.parametrize("bad_id", [2**70, "5", 0, -1, True, 1.0, None])
def test_every_call_taking_an_order_number_refuses_a_bad_one_by_name(shop, bad_id):
    events = _event_count(shop)
    calls = [lambda: shop.cancel_order(bad_id, "typo"), lambda: shop.start_cooking(bad_id),
             lambda: shop.finish_cooking(bad_id), lambda: shop.recall_ticket(bad_id),
             lambda: shop.pick_up(bad_id, "Park"), lambda: shop.deliver(bad_id), lambda: shop.mypage(bad_id)]
    for call in calls:
        with pytest.raises(InvalidInput, match="Order number must be a whole number from 1 to"):
            call()
    assert _event_count(shop) == events


def test_text_with_a_lone_surrogate_is_refused_by_every_command_and_query(shop):
    receipt = shop.place_order(order())
    events = _event_count(shop)
    with pytest.raises(InvalidInput, match="Cancel reason contains an invalid character"):
        shop.cancel_order(receipt.order_id, f"no{LONE}")
    with pytest.raises(InvalidInput, match="Rider name contains an invalid character"):
        shop.pick_up(receipt.order_id, f"Park{LONE}")
    with pytest.raises(InvalidInput, match="Item code contains an invalid character"):
        shop.mark_sold_out(f"cola{LONE}")
    with pytest.raises(InvalidInput, match="Item code contains an invalid character"):
        shop.restock(f"cola{LONE}", 3)
    with pytest.raises(InvalidInput, match="Gift kind contains an invalid character"):
        shop.set_gift_stock(3, f"cookie{LONE}")
    with pytest.raises(InvalidInput, match="Malformed phone number"):
        shop.mypage_by_phone(f"010{LONE}")
    assert _event_count(shop) == events


@pytest.mark.parametrize("position, limit", [("5", 10), (2**70, 10), (-1, 10), (0, "10"), (0, 2**70)])
def test_event_queries_refuse_positions_that_are_not_whole_numbers(shop, position, limit):
    with pytest.raises(InvalidInput, match="must be a whole number from 0"):
        shop.events_since(position, limit)


def _fill_the_disk(uow, _result):
    """From now on the writer's connection may not grow the file: SQLite answers SQLITE_FULL, exactly
    as on a full disk, to the first write that needs a new page."""
    uow.sql.run(f"PRAGMA max_page_count={uow.sql.scalar('PRAGMA page_count')}")


# The shops on the local SQLite file (in process, and served over HTTP): the chain's database is PostgreSQL,
# whose refusals answer "busy, nothing taken" (tests/chain_services/test_postgres_restart.py).
@pytest.mark.parametrize("shop", ["local", "remote"], indirect=True)
def test_a_full_disk_refuses_the_write_saying_nothing_was_taken(shop, local_shop):
    local_shop._writer.execute(c.SetGiftStock(10_000), _fill_the_disk)
    refused = None
    for n in range(2000):                  # until an order needs a page the file may not have
        try:
            shop.place_order(order(client_ref=f"disk-full-{n}"))
        except ShopError as error:
            refused = (n, error)
            break
    assert refused is not None, "the disk never filled"
    n, error = refused
    assert isinstance(error, NotSaved), repr(error)
    assert "nothing was taken" in str(error) and "safe to try again" in str(error)
    assert len(local_shop.todays_orders()) == n, "every order before it was kept, the refused one was not"
