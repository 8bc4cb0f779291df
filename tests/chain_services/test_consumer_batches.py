"""A fetched batch is handled in one transaction all at once; when a handler fails, it is handled again
one event at a time, each in a savepoint: the good events are handled once, only the failing one is
retried. Mypage projects a batch's orders once each, to the rows one event at a time would give."""
from __future__ import annotations

import psycopg

from services.chain import wire
from services.chain.consumer import Consumer
from services.chain.contexts import SPECS
from services.chain.event_batch import ACK, NAK, Item
from services.chain.store import Store, open_pool
from tests.chain_services.support import query, scalar


STEW = [{"item_code": "kimchi-jjigae", "name_ko": "김치찌개", "name_en": "Kimchi stew", "quantity": 1, "note": "",
         "unit_price": 9000}]


def _event(context: str, seq: int, name: str, order_id: int, data: dict) -> Item:
    message = wire.event_message("T", context, seq, 1.0 + seq, name, order_id, {"order_id": order_id, **data})
    return Item(message.subject, seq, 1, order_id, message.body)


def _ordered(seq: int, order_id: int, lines: list[dict] | None = None) -> Item:
    return _event("ordering", seq, "Ordered", order_id, {
        "customer_name": f"C{order_id}", "phone": "010", "address": "a", "lines": lines or STEW, "total": 9000,
        "placed_at": 1.0, "scheduled_for": None})


def test_a_failing_event_sends_its_batch_round_again_and_only_it_is_retried(pg_dsn):
    store = Store(SPECS["kitchen"], open_pool(pg_dsn, "kitchen", min_size=1, max_size=2))
    consumer = Consumer(store, "T", jetstream=lambda: None)
    try:
        items = [_ordered(1, 81), _ordered(2, 82, [{"what": 1}]), _ordered(3, 83)]
        outcomes = consumer.process(items)
        assert [o.verdict for o in outcomes] == [ACK, NAK, ACK]
        assert [o.handled for o in outcomes] == [True, False, True] and consumer.handled == 2
        assert scalar(pg_dsn, "SELECT count(*) FROM kitchen.tickets WHERE order_id IN (81, 83)") == 2
        assert scalar(pg_dsn, "SELECT count(*) FROM kitchen.inbox") == 2      # the failing one is not taken
        assert scalar(pg_dsn, "SELECT count(*) FROM kitchen.outbox WHERE name = 'StockChecked'") == 2

        again = consumer.process(items)          # redelivered: the two handled ones change nothing
        assert [o.verdict for o in again] == [ACK, NAK, ACK] and not any(o.handled for o in again)
        assert scalar(pg_dsn, "SELECT count(*) FROM kitchen.tickets") == 2 and consumer.handled == 2
    finally:
        store.close()
        store.pool.close()


def _mypage_events() -> list[Item]:
    """Three orders' events in one stream order, one of them with its gift published before its order
    (ordering's relay down past the gift's hold)."""
    return [_ordered(1, 91), _event("gift", 2, "GiftSent", 91, {"gift_kind": "사탕"}),
            _event("gift", 3, "GiftSent", 93, {"gift_kind": "사탕"}), _ordered(4, 92), _ordered(5, 93),
            _event("kitchen", 6, "StockChecked", 91, {"in_stock": True}),
            _event("kitchen", 7, "StockChecked", 92, {"in_stock": False, "missing": ["kimchi-jjigae"]})]


def _mypage_rows(pg_dsn) -> list[tuple]:
    return query(pg_dsn, "SELECT order_id, order_status, cook_status, gift_status, gift_kind, reason, last_position"
                        " FROM mypage.mypage ORDER BY order_id")


def test_mypage_projects_a_batch_at_once_as_it_would_one_event_at_a_time(pg_dsn):
    store = Store(SPECS["mypage"], open_pool(pg_dsn, "mypage", min_size=1, max_size=2))
    consumer = Consumer(store, "T", jetstream=lambda: None)
    try:
        for item in _mypage_events():
            assert consumer.process([item])[0].handled
        one_at_a_time = _mypage_rows(pg_dsn)
        with psycopg.connect(pg_dsn, autocommit=True) as conn:
            conn.execute("TRUNCATE mypage.mypage, mypage.timeline, mypage.inbox")

        outcomes = consumer.process(_mypage_events())
        assert all(o.verdict == ACK and o.handled for o in outcomes)
        assert _mypage_rows(pg_dsn) == one_at_a_time
        assert [r[:5] for r in one_at_a_time] == [(91, "placed", "queued", "sent", "사탕"),
                                                  (92, "placed", "out_of_stock", "", ""),
                                                  (93, "placed", "", "sent", "사탕")]
        assert not any(o.handled for o in consumer.process(_mypage_events()))   # redelivered: nothing new
        assert _mypage_rows(pg_dsn) == one_at_a_time
    finally:
        store.close()
        store.pool.close()
