"""Crash: while orders flow through the gateway, SIGKILL each service replica in turn (20 kills), restart
nats-server, restart PostgreSQL (the chain's own: the ``private_chain`` fixture). The services reconnect
by themselves; every order the gateway acknowledged completes its saga (stock checked, gift decided, cooked,
on the delivery board, all of it on mypage) and nothing is duplicated (one order per clientRef, one ticket,
one delivery, one of each saga event per order).

The clients behave as a till does (services.chain.drill.Till, shared with the chaos test): an order that
got no answer, or a 5xx, is sent again with the same clientRef until it is acknowledged.
"""
from __future__ import annotations

import collections
import os
import signal
from pathlib import Path

import pytest

from services.chain.drill import Till, gift_decided
from services.chain.settings import CONTEXTS
from tests.chain.fixtures import wait_for

KILLS = 20
CLIENTS = 2
pytestmark = pytest.mark.slow


def kill_in_turn(chain, kills: int) -> list[str]:
    supervisor = chain.supervisor
    names = [f"{context}-{replica}" for replica in range(chain.chain.layout.replicas) for context in CONTEXTS]
    killed = []
    for n in range(kills):
        name = names[n % len(names)]
        pid = wait_for(lambda: supervisor.info()[name]["pid"] if supervisor.status()[name] == "RUNNING" else 0,
                       90, 0.1, f"{name} running")
        os.kill(pid, signal.SIGKILL)
        killed.append(name)
        # supervisord brings it back; wait until it runs again before the next kill
        wait_for(lambda: supervisor.status()[name] == "RUNNING" and supervisor.info()[name]["pid"] != pid,
                 90, 0.1, f"{name} restarted by supervisord")
    return killed


@pytest.mark.timeout(900)     # 20 kills, two restarts and every saga checked: minutes on a busy machine
def test_every_acknowledged_order_completes_its_saga_once_through_kills_and_restarts(private_chain):
    shop = private_chain.shop(consistent_reads=True, settle_s=120)
    shop.set_gift_stock(100_000, "Candy")
    tills = [Till(private_chain.url, f"till-{i}", customer="Crash") for i in range(CLIENTS)]
    for till in tills:
        till.start()
    try:
        wait_for(lambda: sum(len(t.acknowledged) for t in tills) >= 10, 60, 0.1, "orders flowing")
        killed = kill_in_turn(private_chain, KILLS)
        private_chain.nats.restart()
        wait_for(lambda: sum(len(t.acknowledged) for t in tills) >= 20 + len(killed), 120, 0.2,
                 "orders flowing after the broker restart")
        private_chain.postgres.restart()
        before = sum(len(t.acknowledged) for t in tills)
        wait_for(lambda: sum(len(t.acknowledged) for t in tills) >= before + 10, 120, 0.2,
                 "orders flowing after the database restart")
    finally:
        for till in tills:
            till.stopping.set()
        for till in tills:
            till.join(150)
    assert not [f for t in tills for f in t.refused], [f for t in tills for f in t.refused]
    acknowledged = {ref: oid for t in tills for ref, oid in t.acknowledged.items()}
    assert len(killed) >= KILLS and len(acknowledged) >= 40

    private_chain.wait_ready(120)
    order_ids = set(acknowledged.values())
    assert len(order_ids) == len(acknowledged), "two clientRefs were given the same order"
    try:
        # Every acknowledged order was stock-checked and has its gift decided ...
        def checked():
            cards = {oid: shop.mypage(oid) for oid in order_ids}
            return cards if all(c.cook_status == "queued" and gift_decided(c) for c in cards.values()) else None
        try:
            cards = wait_for(checked, 180, 1.0, "every acknowledged order stock-checked with its gift")
        except TimeoutError:
            stuck = {oid: (c.order_status, c.cook_status, c.gift_status, [e.event for e in c.timeline])
                     for oid in order_ids if (c := shop.mypage(oid)).cook_status != "queued" or not gift_decided(c)}
            raise AssertionError(f"{len(stuck)} sagas not complete: {stuck}; "
                                 f"logs in {private_chain.chain.data_dir}") from None
        assert all(c.gift_kind == "Candy" for c in cards.values() if c.gift_status == "sent")
        # ... one ticket each ...
        tickets = collections.Counter(t.order_id for t in shop.kitchen_tickets() if t.order_id in order_ids)
        assert set(tickets) == order_ids and max(tickets.values()) == 1
        # ... and cooked, each reaches the delivery board once.
        for oid in order_ids:
            shop.finish_cooking(oid)
        board = shop.delivery_board()
        waiting = collections.Counter(c.order_id for c in board.waiting if c.order_id in order_ids)
        assert set(waiting) == order_ids and max(waiting.values()) == 1
        # Nothing duplicated: one order per clientRef today, one of each saga event per order.
        taken = [o.order_id for o in shop.todays_orders() if o.customer_name == "Crash"]
        assert sorted(taken) == sorted(order_ids), "an order taken twice, or taken without an answer"
        for oid in order_ids:
            card = shop.mypage(oid)
            assert card.delivery_status == "waiting" and card.cook_status == "cooked"
            names = collections.Counter(entry.event for entry in card.timeline)
            for event in ("Ordered", "StockChecked", "GiftSent", "Cooked", "DeliveryStarted"):
                if event == "GiftSent" and card.gift_status != "sent":
                    continue
                assert names[event] == 1, (oid, names)
    finally:
        shop.close()
    print(f"\ncrash: {len(killed)} kills, {len(acknowledged)} orders acknowledged, "
          f"{sum(t.retries for t in tills)} resends; logs in {Path(private_chain.chain.data_dir)}")
