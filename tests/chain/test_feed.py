"""The gateway's live feed over JetStream (services/chain/feed.py), on a private nats-server: positions
are stream sequences, ``events_since`` answers from memory or from the stream, an order's stock check
is waited for, and a broker restart is survived without losing or repeating an event."""
from __future__ import annotations

import asyncio
import time

import nats
import pytest

from services.chain.feed import ChainFeed, StockOutcome
from services.chain.wire import event_message
from tests.chain.fixtures import NatsServer, wait_for

STREAM = "FEEDTEST"


@pytest.fixture
def broker(tmp_path):
    (tmp_path / "nats").mkdir()
    server = NatsServer(tmp_path / "nats").start()
    asyncio.run(_create(server.url))
    yield server
    server.stop()


async def _create(url: str) -> None:
    nc = await nats.connect(url)
    await nc.jetstream().add_stream(name=STREAM, subjects=[f"{STREAM.lower()}.>"])
    await nc.close()


def publish(url: str, *events: tuple[str, str, int, dict]) -> None:
    async def go():
        nc = await nats.connect(url)
        js = nc.jetstream()
        for context, name, order_id, data in events:
            publish.outbox += 1
            m = event_message(STREAM, context, publish.outbox, time.time(), name, order_id, data)
            await js.publish(m.subject, m.body, headers=m.headers)
        await nc.close()
    asyncio.run(go())


publish.outbox = 0


def test_positions_are_stream_sequences_and_events_since_resumes(broker):
    publish(broker.url, *[("ordering", "Ordered", i, {"order_id": i}) for i in range(1, 4)])
    feed = ChainFeed(broker.url, STREAM)
    seen = []
    feed.subscribe(seen.append)
    try:
        publish(broker.url, *[("kitchen", "CookStarted", i, {"order_id": i}) for i in range(1, 4)])
        wait_for(lambda: len(seen) == 3, 30, 0.02, "three live events")
        assert [r.position for r in seen] == [4, 5, 6] and seen[0].name == "CookStarted" and seen[0].order_id == 1
        assert [r.position for r in feed.events_since(4)] == [5, 6]            # from memory
        assert [r.position for r in feed.events_since(0, 4)] == [1, 2, 3, 4]   # from the stream
        assert feed.events_since(6) == [] and feed.latest_position() == 6
    finally:
        feed.close()


def test_place_order_can_wait_for_the_stock_check_asked_before_or_after_it_arrives(broker):
    feed = ChainFeed(broker.url, STREAM)
    try:
        early = feed.outcome(7)
        publish(broker.url, ("kitchen", "StockChecked", 7, {"order_id": 7, "in_stock": True, "missing": []}),
                ("kitchen", "StockChecked", 8, {"order_id": 8, "in_stock": False, "missing": ["japchae"]}),
                ("ordering", "OrderCancelled", 8, {"order_id": 8, "reason": "Out of stock: Japchae", "by": "kitchen"}))
        assert early.result(30) == StockOutcome("placed")
        assert feed.outcome(8).result(30) == StockOutcome("cancelled", "Out of stock: Japchae")
        assert not feed.outcome(9).done()
    finally:
        feed.close()


def test_the_feed_follows_the_stream_across_a_broker_restart(broker):
    feed = ChainFeed(broker.url, STREAM, watch_interval=0.5)
    seen = []
    feed.subscribe(seen.append)
    try:
        publish(broker.url, ("gift", "GiftSent", 1, {"order_id": 1, "gift_kind": "Candy"}))
        wait_for(lambda: len(seen) == 1, 30, 0.02, "the first event")
        broker.restart()
        publish(broker.url, ("gift", "GiftSent", 2, {"order_id": 2, "gift_kind": "Candy"}))
        wait_for(lambda: len(seen) == 2, 60, 0.05, "an event after the restart")
        assert [r.position for r in seen] == [1, 2]
    finally:
        feed.close()
