"""The live feed: a subscriber sees every event of a saga, in order, and can resume by position."""
from __future__ import annotations

import threading

from tests.contract.helpers import order, wait_until


def test_a_subscriber_sees_the_saga_in_order_and_events_since_resumes(shop):
    shop.set_gift_stock(5, "Candy")   # a gift to send, whatever earlier tests left (the chain's stock is shared)
    seen, lock = [], threading.Lock()

    def on_event(record):
        with lock:
            seen.append(record)

    unsubscribe = shop.subscribe(on_event)
    try:
        receipt = shop.place_order(order())
        shop.finish_cooking(receipt.order_id)
        wait_until(lambda: any(r.name == "DeliveryStarted" for r in seen))
    finally:
        unsubscribe()
    mine = [r for r in seen if r.order_id == receipt.order_id]
    assert [r.name for r in mine][0] == "Ordered"
    assert {"StockChecked", "GiftSent", "Cooked", "DeliveryStarted"} <= {r.name for r in mine}
    positions = [r.position for r in seen]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    # Resuming after the order's first event gives every event seen live since, other orders' too (a
    # shared chain's earlier tests still have timed work running), in the same order.
    seen_after = [r.position for r in seen if r.position > mine[0].position]
    resumed = shop.events_since(mine[0].position, limit=len(seen_after))
    assert [r.position for r in resumed] == seen_after
    assert {r.position for r in mine[1:]} <= set(seen_after)


def test_a_scheduled_order_reaches_the_kitchen_at_its_time(shop):
    from datetime import datetime, timedelta, timezone
    due = datetime.now(timezone.utc) + timedelta(seconds=5)
    receipt = shop.place_order(order(scheduled_for=due))
    assert receipt.status == "placed"
    in_kitchen = receipt.order_id in [t.order_id for t in shop.kitchen_tickets()]
    status = shop.mypage(receipt.order_id).cook_status
    if datetime.now(timezone.utc) < due:   # both read before its time (a slow machine may be past it already)
        assert (in_kitchen, status) == (False, "scheduled")
    wait_until(lambda: receipt.order_id in [t.order_id for t in shop.kitchen_tickets()], timeout=60)
    assert shop.mypage(receipt.order_id).cook_status == "queued"
