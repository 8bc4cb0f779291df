"""The live event stream: SSE with resume from Last-Event-ID, and RemoteShop's follower across restarts."""
from __future__ import annotations

import json
import threading
import time

import httpx

from services.commands import OrderLine, PlaceOrder
from tests.http.conftest import an_item, order_body, sign_in


def wait_until(predicate, timeout_s: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def read_sse(client, headers, *, count: int, last_event_id: str | None = None, timeout_s: float = 60.0,
             on_hello=lambda: None):
    """Read ``count`` events (after the hello) from the stream; returns [(id, name, data)] and the hello id.
    ``on_hello()`` is called when the hello has arrived: the stream is subscribed from then on."""
    if last_event_id is not None:
        headers = {**headers, "Last-Event-ID": last_event_id}
    events, hello, name, data, event_id = [], None, "", "", None
    deadline = time.monotonic() + timeout_s
    with client.stream("GET", "/events/stream", headers=headers, timeout=timeout_s) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            assert time.monotonic() < deadline
            if line.startswith("id:"):
                event_id = int(line[3:])
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data = line[5:].strip()
            elif line == "" and data:
                if name == "hello":
                    hello = event_id
                    on_hello()
                else:
                    events.append((event_id, name, json.loads(data)))
                name, data = "", ""
                if len(events) >= count:
                    break
    return events, hello


def test_stream_resumes_after_last_event_id_without_gaps_or_doubles(client, as_role):
    counter = as_role("counter")
    item = an_item(client, counter)
    for _ in range(3):
        client.post("/orders", json=order_body(item["code"]), headers=counter)
    all_events = client.get("/events", params={"after": 0}, headers=counter).json()
    assert len(all_events) >= 3
    middle = all_events[len(all_events) // 2]["position"]
    expected = [e["position"] for e in all_events if e["position"] > middle]
    resumed, _ = read_sse(client, counter, count=len(expected), last_event_id=str(middle))
    assert [e[0] for e in resumed] == expected
    assert all(e[2]["position"] == e[0] and "orderId" in e[2] for e in resumed)


def test_a_fresh_stream_starts_at_the_head_then_goes_live(client, as_role, served):
    counter = as_role("counter")
    item = an_item(client, counter)
    client.post("/orders", json=order_body(item["code"]), headers=counter)
    head = client.get("/events", params={"after": 0}, headers=counter).json()[-1]["position"]
    got: list = []
    subscribed = threading.Event()

    def reader():
        got.append(read_sse(httpx.Client(base_url=served.url), counter, count=1, on_hello=subscribed.set))
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    assert subscribed.wait(60), "the stream said hello"
    client.post("/orders", json=order_body(item["code"]), headers=counter)
    t.join(60)
    (events, hello), = got
    assert hello == head
    assert events[0][0] > head and events[0][1] == "Ordered"


def test_remote_subscriber_misses_nothing_and_sees_nothing_twice_across_server_restarts(served, tmp_path):
    from services.remote import open_remote_shop
    counter = open_remote_shop(served.url, "counter:1111", queue_path=tmp_path / "q1.sqlite")
    display = open_remote_shop(served.url, "kitchen:2222", queue_path=tmp_path / "q2.sqlite")
    try:
        seen: list[int] = []
        display.subscribe(lambda record: seen.append(record.position))
        item_code = next(m.code for m in counter.menu() if m.stock > 10)
        place = lambda: counter.place_order(PlaceOrder((OrderLine(item_code, 1),)))  # noqa: E731
        place()
        for _ in range(2):
            served.stop()                        # the stream drops; events keep happening on the shop file
            served.start()
            place()
            place()
        # the counter may have noticed the server away (its probe) and queued an order: wait until sent
        wait_until(lambda: counter.connection().state == "online", what="the counter's queue to drain")
        with httpx.Client(base_url=served.url) as c:
            log = [e["position"] for e in c.get("/events", params={"after": 0},
                                                 headers=sign_in(c, "manager")).json()]
        first_live = log.index(seen[0]) if seen else 0
        wait_until(lambda: seen[-1:] == log[-1:], what="the display to catch up")
        assert seen == log[first_live:], "every event after subscribing, in order, exactly once"
        assert display.feed.reconnects >= 2
    finally:
        counter.close()
        display.close()
