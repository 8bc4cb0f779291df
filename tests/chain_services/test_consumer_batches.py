"""A fetched batch runs in one transaction with no savepoint per event; when a handler fails, the batch
runs again with a savepoint each: the good events are handled once, only the failing one is retried."""
from __future__ import annotations

from services.chain import wire
from services.chain.consumer import ACK, NAK, Consumer, Item
from services.chain.contexts import SPECS
from services.chain.store import Store, open_pool
from tests.chain_services.support import scalar


def _ordered(seq: int, order_id: int, lines: list[dict]) -> Item:
    message = wire.event_message("T", "ordering", seq, 1.0, "Ordered", order_id, {
        "order_id": order_id, "customer_name": "", "phone": "", "address": "", "total": 9000, "placed_at": 1.0,
        "lines": lines, "scheduled_for": None})
    return Item(message.subject, seq, 1, order_id, message.body)


STEW = [{"item_code": "kimchi-jjigae", "name_ko": "김치찌개", "name_en": "Kimchi stew", "quantity": 1, "note": "",
         "unit_price": 9000}]


def test_a_failing_event_sends_its_batch_round_again_and_only_it_is_retried(pg_dsn):
    store = Store(SPECS["kitchen"], open_pool(pg_dsn, "kitchen", min_size=1, max_size=2))
    consumer = Consumer(store, "T", jetstream=lambda: None)
    try:
        items = [_ordered(1, 81, STEW), _ordered(2, 82, [{"what": 1}]), _ordered(3, 83, STEW)]
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
