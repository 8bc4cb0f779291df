"""The order -> gift call keeps the saga's causal order on the stream (issue 12): the gift service holds
the events of ordering's call and answers them; ordering publishes them after its ``Ordered``, under the
gift's own ids. A crash of ordering between the two commits loses nothing (the gift's relay publishes
after the hold); the gift relay's late copy, or any copy after the duplicate window, changes nothing."""
from __future__ import annotations

import signal

import httpx
import psycopg
import pytest

from services import commands as c
from services.chain import wire
from services.chain.contexts import SPECS
from services.chain.gift_client import FAILPOINT
from services.chain.relay import Relay
from services.chain.store import Store, open_pool
from services.remote import codec
from tests.chain_services.support import (ServiceProcess, consumer_info, order_events, publish_raw, query, run_async,
                                          scalar, stream_messages, wait_for)

HOLD_S = "10"    # the gift's hold, shortened so the tests see its own (late) publish; long enough for a busy
#                   machine's ordering relay to publish Ordered first


def place(ordering: ServiceProcess) -> dict:
    response = ordering.command("PlaceOrder", {"lines": [{"item_code": "kimchi-jjigae", "quantity": 1}]})
    assert response.status_code == 200, response.text
    return response.json()["result"]


def card(mypage: ServiceProcess, order_id: int):
    response = mypage.http.get(f"/views/mypage/{order_id}")
    return codec.mypage(response.json()) if response.status_code == 200 else None


async def _catch_up(dsn: str, url: str, stream: str, context: str) -> int:
    import nats
    nc = await nats.connect(url)
    try:
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True,
                                                         options=f"-c search_path={context}") as conn:
            return await Relay(context, stream).catch_up(conn, nc.jetstream())
    finally:
        await nc.close()


def test_ordered_reaches_the_stream_before_the_gift_and_mypage_shows_the_gift(services, nats_server, stream,
                                                                               pg_dsn):
    chain = services("gift", "ordering", "mypage", SIKDANG_CALL_HOLD_S=HOLD_S)
    assert chain["gift"].command("SetGiftStock", {"quantity": 1, "kind": "Pen"}).status_code == 200
    sent, out_of_stock = place(chain["ordering"]), place(chain["ordering"])
    assert (sent["gift_status"], out_of_stock["gift_status"]) == ("sent", "out_of_stock")
    gift_ids = dict(query(pg_dsn, "SELECT order_id, id FROM gift.outbox WHERE hold_until IS NOT NULL"))

    for receipt, gift_event in ((sent, "GiftSent"), (out_of_stock, "GiftOutOfStock")):
        order_id = receipt["order_id"]
        expected = [("ordering", "Ordered"), ("gift", gift_event)]
        seen = wait_for(lambda o=order_id: (e := order_events(nats_server.url, stream, o)) and
                        [x[:2] for x in e] == expected and e, what=f"order {order_id}'s events")
        assert seen[1][2] == f"gift:{gift_ids[order_id]}"     # the gift's own id, published by ordering
    shown = wait_for(lambda: (found := card(chain["mypage"], sent["order_id"])) and found.gift_status and found,
                     what="mypage's gift")
    assert (shown.gift_status, shown.gift_kind) == ("sent", "Pen")
    assert [entry.event for entry in shown.timeline] == ["Ordered", "GiftSent"]
    assert card(chain["mypage"], out_of_stock["order_id"]).gift_status == "out_of_stock"

    # After its hold the gift's relay publishes its own rows: JetStream acks them as duplicates with the
    # sequence ordering's copy got, which the gift records (its catch-up finds them on the stream).
    wait_for(lambda: not scalar(pg_dsn, "SELECT count(*) FROM gift.outbox WHERE seq IS NULL"), what="gift's relay")
    same = query(pg_dsn, "SELECT g.seq, o.seq FROM gift.outbox g JOIN ordering.outbox o"
                         " ON o.msg_id = 'gift:' || g.id WHERE g.hold_until IS NOT NULL")
    assert len(same) == 2 and all(gift_seq == ordering_seq for gift_seq, ordering_seq in same)
    assert len(run_async(stream_messages, nats_server.url, stream)) == 5    # GiftStockSet, 2 x (Ordered, gift)
    for context in ("gift", "ordering"):
        assert run_async(_catch_up, pg_dsn, nats_server.url, stream, context) == 0

    # A copy past the duplicate window (a new message id, the same event id) changes nothing.
    before = (query(pg_dsn, "SELECT * FROM mypage.mypage ORDER BY order_id"),
              scalar(pg_dsn, "SELECT count(*) FROM mypage.inbox"))
    original = next(m for m in run_async(stream_messages, nats_server.url, stream) if m.subject.endswith(".GiftSent"))
    copy_seq = run_async(publish_raw, nats_server.url, original.subject, original.data,
                         {**original.headers, wire.MSG_ID: "again:1"})
    wait_for(lambda: copy_seq <= _acked(nats_server.url, stream, "mypage"), what="the copy acked by mypage")
    assert (query(pg_dsn, "SELECT * FROM mypage.mypage ORDER BY order_id"),
            scalar(pg_dsn, "SELECT count(*) FROM mypage.inbox")) == before


def _acked(url: str, stream: str, consumer: str) -> int:
    return run_async(consumer_info, url, stream, consumer).ack_floor.stream_seq


def test_a_crash_between_the_gifts_commit_and_orderings_still_publishes_the_gift_once(
        services, chain_env, nats_server, stream, pg_dsn, tmp_path):
    gift = services("gift", SIKDANG_CALL_HOLD_S=HOLD_S)["gift"]
    ordering = ServiceProcess("ordering", chain_env, tmp_path).start(
        SIKDANG_FAILPOINT=FAILPOINT, SIKDANG_SERVICE_URLS=f'{{"gift": "{gift.url}"}}')
    try:
        ordering.wait_ready()
        with pytest.raises(httpx.HTTPError):     # killed after the gift's answer, before its own commit
            place(ordering)
        assert ordering.process.wait(timeout=60) == -signal.SIGKILL
    finally:
        ordering.close()
    assert scalar(pg_dsn, "SELECT count(*) FROM ordering.orders") == 0        # ordering's transaction is gone
    (order_id, outbox_id), = query(pg_dsn, "SELECT order_id, id FROM gift.outbox WHERE name = 'GiftSent'")

    published = wait_for(lambda: order_events(nats_server.url, stream, order_id), what="the gift's own publish")
    assert published == [("gift", "GiftSent", f"gift:{outbox_id}")]
    again = services("ordering", SIKDANG_SERVICE_URLS=f'{{"gift": "{gift.url}"}}')["ordering"]   # no failpoint
    later = place(again)["order_id"]
    wait_for(lambda: [e[1] for e in order_events(nats_server.url, stream, later)] == ["Ordered", "GiftSent"],
             what="the next order's events, in order")
    assert order_events(nats_server.url, stream, order_id) == published        # still once


def test_a_repeated_call_answers_the_events_the_first_one_held(pg_dsn):
    """Ordering's call timed out after the gift committed: its retry (RetryDeferredGifts) gets the same
    events to publish, and nothing new is issued."""
    store = Store(SPECS["gift"], open_pool(pg_dsn, "gift", min_size=1, max_size=2))
    try:
        first, second = store.execute(c.SendGift(7)), store.execute(c.SendGift(7))
    finally:
        store.close()
        store.pool.close()
    assert first == second and [e["name"] for e in first.events] == ["GiftSent"]
    assert first.events[0]["id"] == f"gift:{scalar(pg_dsn, 'SELECT id FROM gift.outbox')}"
