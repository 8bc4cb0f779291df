"""Group commit of a serial context: commands sent together share transactions, each answered with
its own result or error, and the stock they share stays right."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from services import commands as c
from services.chain.contexts import SPECS
from services.chain.store import Store, open_pool
from services.errors import UnknownItem
from tests.chain_services.support import scalar


@pytest.fixture
def gift_store(pg_dsn):
    store = Store(SPECS["gift"], open_pool(pg_dsn, "gift", min_size=1, max_size=4))
    yield store
    store.close()
    store.pool.close()


def test_gifts_sent_together_take_the_stock_once_each(gift_store, pg_dsn):
    gift_store.execute(c.SetGiftStock(50, "Pen"))
    with ThreadPoolExecutor(16) as pool:
        outcomes = list(pool.map(lambda n: gift_store.execute(c.SendGift(n)), range(1, 81)))
    assert sorted(o.result.status for o in outcomes).count("sent") == 50
    # SendGift is ordering's call: each answers the one event it holds for ordering to publish
    assert sorted(o.events[0]["name"] for o in outcomes) == ["GiftOutOfStock"] * 30 + ["GiftSent"] * 50
    assert scalar(pg_dsn, "SELECT count(*) FROM gift.outbox WHERE hold_until IS NOT NULL") == 80
    assert scalar(pg_dsn, "SELECT quantity FROM gift.gift_stock") == 0
    assert scalar(pg_dsn, "SELECT count(*) FROM gift.gifts") == 80
    assert scalar(pg_dsn, "SELECT count(*) FROM gift.outbox") == 81      # GiftStockSet + one per order


def test_a_failing_command_in_a_batch_fails_alone(pg_dsn):
    store = Store(SPECS["kitchen"], open_pool(pg_dsn, "kitchen", min_size=1, max_size=4))
    try:
        commands = [c.Restock("kimchi-jjigae", 1), c.Restock("no-such-item", 1)] * 10
        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(store.execute, command) for command in commands]
        errors = [f.exception() for f in futures]
        assert all(isinstance(e, UnknownItem) for e in errors[1::2]) and not any(errors[0::2])
        assert scalar(pg_dsn, "SELECT count(*) FROM kitchen.outbox WHERE name = 'Restocked'") == 10
    finally:
        store.close()
        store.pool.close()
