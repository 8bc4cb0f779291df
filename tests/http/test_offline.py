"""Offline at the counter: the breaker opens at once, orders wait in a durable queue with client-made ids,
and are sent once the server is back: over repeated disconnects nothing is lost and nothing doubled."""
from __future__ import annotations

import time

import httpx
import pytest

from services.commands import OrderLine, PlaceOrder
from services.http.server import ServerThread
from services.remote import open_remote_shop
from services.remote.errors import ServerUnreachable
from tests.http.conftest import sign_in
from tests.http.test_events import wait_until


def server_orders(url: str) -> list[dict]:
    with httpx.Client(base_url=url) as c:
        return c.get("/orders", headers=sign_in(c, "counter")).json()


def an_order(item_code: str, n: int) -> PlaceOrder:
    return PlaceOrder((OrderLine(item_code, 1, note=f"order {n}"),), customer_name=f"손님 {n}")


def test_queue_survives_repeated_disconnects_without_loss_or_doubles(served, tmp_path):
    counter = open_remote_shop(served.url, "counter:1111", queue_path=tmp_path / "queue.sqlite")
    try:
        item = next(m for m in counter.menu() if m.stock > 30)
        refs: list[str] = []
        n = 0
        for _ in range(3):
            receipt = counter.place_order(an_order(item.code, n))
            n += 1
            assert receipt.status == "placed" and receipt.client_ref
            refs.append(receipt.client_ref)
            served.stop()
            for _ in range(3):
                started = time.monotonic()
                receipt = counter.place_order(an_order(item.code, n))
                n += 1
                assert time.monotonic() - started < 1.0
                assert receipt.status == "queued" and receipt.order_id < 0 and receipt.total == item.price
                refs.append(receipt.client_ref)
            assert counter.connection_status() == "offline — 3 waiting"
            served.start()
            wait_until(lambda: counter.connection_status() == "online", what="the queue to drain")
        assert len(set(refs)) == len(refs) == 12
        orders = server_orders(served.url)
        assert len(orders) == 12, "every order exactly once"
        sent_ids = [counter.queue.sent_order_id(ref) for ref in refs[1:] if counter.queue.sent_order_id(ref)]
        assert len(sent_ids) == 9 and len(set(sent_ids)) == 9
        assert {o["orderId"] for o in orders} >= set(sent_ids)
        assert counter.breaker.trips == 3
    finally:
        counter.close()


def test_breaker_opens_at_once_and_calls_fail_fast(served, tmp_path):
    counter = open_remote_shop(served.url, "counter:1111", queue_path=tmp_path / "queue.sqlite")
    try:
        served.stop()
        with pytest.raises(ServerUnreachable):
            counter.menu()
        assert counter.breaker.is_open
        started = time.monotonic()
        with pytest.raises(ServerUnreachable) as refused:
            counter.delivery_board()      # (the menu and today's orders answer from what the till kept)
        assert time.monotonic() - started < 0.05
        assert "offline" in str(refused.value)
        served.start()
        wait_until(lambda: not counter.breaker.is_open, what="the probe to close the breaker")
        assert counter.menu()
    finally:
        counter.close()


def test_a_resend_after_a_lost_answer_is_one_order(served, tmp_path):
    """Two queues holding the same client-made id (a crash between send and delete) make one order."""
    first = open_remote_shop(served.url, "counter:1111", queue_path=tmp_path / "a.sqlite")
    second = open_remote_shop(served.url, "counter2:1212", queue_path=tmp_path / "b.sqlite")
    try:
        item = next(m for m in first.menu() if m.stock > 2)
        command = PlaceOrder((OrderLine(item.code, 1),), client_ref="till-7-000042")
        served.stop()
        assert first.place_order(command).status == "queued"
        assert second.place_order(command).status == "queued"
        served.start()
        wait_until(lambda: len(first.queue) == 0 and len(second.queue) == 0, what="both queues to drain")
        assert first.queue.sent_order_id("till-7-000042") == second.queue.sent_order_id("till-7-000042")
        assert len(server_orders(served.url)) == 1
    finally:
        first.close()
        second.close()


def test_a_counter_started_while_the_server_is_down_queues_and_sends_later(served, tmp_path):
    served.stop()
    counter = open_remote_shop(served.url, "counter:1111", queue_path=tmp_path / "queue.sqlite")
    try:
        assert counter.connection_status().startswith("offline")
        assert counter.place_order(PlaceOrder((OrderLine("ANY", 1),))).status == "queued"
        assert counter.connection_status() == "offline — 1 waiting"
    finally:
        counter.close()
    served.start()
    reopened = open_remote_shop(served.url, "counter:1111", queue_path=tmp_path / "queue.sqlite")
    try:   # the queue is durable: a restarted terminal sends what the last run could not
        wait_until(lambda: len(reopened.queue) == 0, what="the reopened queue to drain")
        assert reopened.queue.rejected(), "an item unknown to the server is kept aside, not resent forever"
    finally:
        reopened.close()


def test_a_till_started_while_the_server_is_down_has_the_categories_it_saw_last(served, tmp_path):
    queue = tmp_path / "queue.sqlite"
    served.stop()
    never_online = open_remote_shop(served.url, "counter:1111", queue_path=queue)
    try:
        with pytest.raises(ServerUnreachable):     # nothing seen yet: said, not made up
            never_online.categories()
    finally:
        never_online.close()
    served.start()
    online = open_remote_shop(served.url, "counter:1111", queue_path=queue)
    try:
        seen = online.categories()
        assert seen == served.shop.categories() and len(seen) > 1
    finally:
        online.close()
    served.stop()
    offline = open_remote_shop(served.url, "counter:1111", queue_path=queue)   # the next morning, server down
    try:
        assert offline.categories() == seen
    finally:
        offline.close()

    shedding = ServerThread(_busy).start()     # a chain's balancer with no gateway up: 503 with Retry-After
    try:
        busy = open_remote_shop(shedding.url, "counter:1111", queue_path=queue)   # starts all the same
        try:
            assert busy.categories() == seen
            assert busy.connection_status().startswith("busy")
        finally:
            busy.close()
    finally:
        shedding.stop()


async def _busy(scope, receive, send):
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 503,
                    "headers": [(b"content-type", b"application/json"), (b"retry-after", b"5")]})
        await send({"type": "http.response.body", "body": b'{"code": "busy", "message": "No replica is up"}'})


def test_a_display_started_while_the_server_is_down_catches_up_when_it_returns(served, tmp_path):
    from services.port import Shop
    served.stop()
    display = open_remote_shop(served.url, "kitchen:2222", queue_path=tmp_path / "display.sqlite")
    try:
        assert isinstance(display, Shop)
        seen: list[str] = []
        started = time.monotonic()
        display.subscribe(lambda record: seen.append(record.name))
        assert time.monotonic() - started < 1.0, "subscribing must not hang while the server is down"
        served.start()
        # A terminal that never reached the server cannot know what happened before its stream opened:
        # its "from now on" starts when the stream does (screens load their state then).
        wait_until(lambda: display.feed.position is not None, what="the display's stream to open")
        counter = open_remote_shop(served.url, "counter:1111", queue_path=tmp_path / "counter.sqlite")
        try:
            item = next(m for m in counter.menu() if m.stock > 1)
            counter.place_order(PlaceOrder((OrderLine(item.code, 1),)))
        finally:
            counter.close()
        wait_until(lambda: "Ordered" in seen, what="the display to see the order")
    finally:
        display.close()


def test_a_gateway_answering_502_for_a_dead_server_counts_as_offline(tmp_path):
    """Behind a proxy, a dead shop server shows up as 502/504 from the proxy, not as a refused connection."""
    async def dead_upstream(scope, receive, send):   # what a reverse proxy says when its upstream is gone
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 502, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"Bad Gateway"})

    proxy = ServerThread(dead_upstream).start()
    try:
        counter = open_remote_shop(proxy.url, "counter:1111", queue_path=tmp_path / "queue.sqlite")
        try:
            assert counter.place_order(PlaceOrder((OrderLine("bibimbap", 1),))).status == "queued"
            assert counter.connection_status() == "offline — 1 waiting"
        finally:
            counter.close()
    finally:
        proxy.stop()


def _fill_the_disk(uow, _result):
    """The writer's connection may not grow the file from now on: SQLite answers SQLITE_FULL."""
    uow.sql.run(f"PRAGMA max_page_count={uow.sql.scalar('PRAGMA page_count')}")


def test_a_queued_order_the_server_could_not_save_is_kept_and_sent_later(served, tmp_path):
    """The server's own failure (here its disk full: "nothing was taken") is no refusal of the order: the
    order the customer was told is kept on the till and sent again, not set aside."""
    from services.commands import SetGiftStock
    from services.errors import NotSaved
    served.stop()
    counter = open_remote_shop(served.url, "counter:1111", queue_path=tmp_path / "queue.sqlite")
    try:
        assert counter.place_order(PlaceOrder((OrderLine("bibimbap", 1),))).status == "queued"
    finally:
        counter.close()
    served.start()
    served.shop._writer.execute(SetGiftStock(10_000), _fill_the_disk)
    for n in range(2000):                  # until an order needs a page the file may not have
        try:
            served.shop.place_order(PlaceOrder((OrderLine("bibimbap", 1),), client_ref=f"fill-{n}"))
        except NotSaved:
            break
    else:
        pytest.fail("the disk never filled")
    reopened = open_remote_shop(served.url, "counter:1111", queue_path=tmp_path / "queue.sqlite")
    try:
        wait_until(lambda: reopened.queue.oldest() is not None and reopened.queue.oldest().attempts >= 2,
                   what="the queued order to be tried against the full disk")
        assert len(reopened.queue) == 1 and not reopened.queue.rejected()
        served.stop()
        served.start()                     # a new connection: room again
        wait_until(lambda: len(reopened.queue) == 0, what="the kept order to be sent")
        assert not reopened.queue.rejected()
    finally:
        reopened.close()
