"""The typed port, in every implementation: typed events on the feed and in the log, the newest
position, the filtered subscription, the async place-order and the connection's state."""
from __future__ import annotations

import asyncio
import threading

from services.events import Event, GiftSent, Ordered, StockChecked
from services.port import Connection, ConnectionState, EventRecord
from services.remote import RemoteShop
from tests.contract.helpers import order, wait_until


def test_every_event_carries_its_typed_payload_live_and_in_the_log(shop):
    shop.set_gift_stock(5, "Candy")   # a gift to send, whatever earlier tests left (the chain's stock is shared)
    seen, lock = [], threading.Lock()

    def on_event(record):
        with lock:
            seen.append(record)

    unsubscribe = shop.subscribe(on_event)
    try:
        receipt = shop.place_order(order(("bibimbap", 2), ("cola", 1, "no ice")))
        wait_until(lambda: any(isinstance(r.event, GiftSent) for r in seen))
    finally:
        unsubscribe()
    live = next(r.event for r in seen if r.order_id == receipt.order_id and isinstance(r.event, Ordered))
    assert [(line["item_code"], line["quantity"], line["note"]) for line in live.lines] == [
        ("bibimbap", 2, ""), ("cola", 1, "no ice")]
    assert live.total == receipt.total and live.scheduled_for is None
    logged = [r for r in shop.events_since(seen[0].position - 1, 50) if r.order_id == receipt.order_id]
    checked = next(r.event for r in logged if isinstance(r.event, StockChecked))
    assert type(logged[0].event) is Ordered and checked.in_stock and checked.missing == ()
    assert logged[0].event == live, "the feed and the log carry the same typed event"


def test_an_event_this_version_does_not_know_is_a_bare_event():
    record = EventRecord(7, "SomethingNew", 3, None, {"colour": "red"})  # type: ignore[arg-type]
    assert type(record.event) is Event and record.event.order_id == 3


def test_latest_position_is_the_newest_event(shop):
    before = shop.latest_position()
    assert shop.events_since(before) == []
    shop.place_order(order())
    wait_until(lambda: shop.latest_position() > before)
    newest = shop.latest_position()
    assert shop.events_since(newest) == [] and shop.events_since(newest - 1)[0].position == newest


def test_a_filtered_subscription_hears_only_the_events_named(shop):
    seen, lock = [], threading.Lock()

    def on_event(record):
        with lock:
            seen.append(record.name)

    unsubscribe = shop.subscribe(on_event, names=("GiftSent",))
    try:
        shop.set_gift_stock(5, "Candy")
        shop.place_order(order())
        wait_until(lambda: "GiftSent" in seen)
        shop.place_order(order())
        wait_until(lambda: len(seen) >= 2)
    finally:
        unsubscribe()
    assert set(seen) == {"GiftSent"}


def test_place_order_async_answers_as_place_order(shop):
    receipt = asyncio.run(shop.place_order_async(order(client_ref="async-1")))
    assert receipt.status == "placed" and receipt.order_id > 0
    again = asyncio.run(shop.place_order_async(order(client_ref="async-1")))
    assert again.order_id == receipt.order_id, "the same client ref is the same order"


def test_as_of_is_the_last_event_the_answer_includes(shop):
    receipt = shop.place_order(order())
    answer = shop.as_of(shop.kitchen_tickets)
    # never ahead of the record; equal on a quiet shop, behind while a chain's kitchen catches up
    assert answer.position <= shop.latest_position()
    assert receipt.order_id in [t.order_id for t in answer.value]
    shop.finish_cooking(receipt.order_id)
    later = shop.as_of(shop.kitchen_tickets)
    assert later.position > answer.position and receipt.order_id not in [t.order_id for t in later.value]


def test_the_connection_state_is_typed(shop):
    connection = shop.connection()
    assert type(connection.state) is ConnectionState and connection.state is ConnectionState.ONLINE
    assert connection.waiting == 0
    assert connection.remote is isinstance(shop, RemoteShop), "only a shop over HTTP has a server to lose"


def test_the_local_shop_is_always_connected_and_not_remote(local_shop):
    heard = []
    stop_watching = local_shop.watch_connection(heard.append)
    local_shop.place_order(order())
    stop_watching()
    assert local_shop.connection() == Connection(ConnectionState.ONLINE, waiting=0, remote=False, staff_role="")
    assert heard == [], "nothing to lose, so nothing to tell"


def test_a_connection_given_its_state_as_text_holds_the_member():
    assert Connection("offline", 3, remote=True).state is ConnectionState.OFFLINE  # type: ignore[arg-type]
