"""Consumers with real service processes: the whole saga across five services, every NATS message
delivered twice changing nothing, a poison event parked, reconnection after nats-server restarts, and
the order -> gift call's fallback."""
from __future__ import annotations

import json

from services.chain import wire
from services.chain.contexts import SPECS
from services.chain.event_batch import MAX_ATTEMPTS
from services.chain.settings import CONTEXTS
from tests.chain_services.support import (ServiceProcess, consumer_info, consumers_idle, order_events, publish_raw,
                                          query, run_async, scalar, stream_messages, wait_for)

CONSUMERS = ("ordering", "kitchen", "delivery", "gift", "mypage")
# Everything the saga writes, in a stable order: compared before and after the redelivery.
SNAPSHOT = {
    "ordering.orders": "SELECT id, status, reason, gift_status, gift_kind FROM ordering.orders ORDER BY id",
    "kitchen.tickets": "SELECT order_id, status, late FROM kitchen.tickets ORDER BY order_id",
    "kitchen.stock": "SELECT item_code, on_hand FROM kitchen.stock ORDER BY item_code",
    "gift.gifts": "SELECT order_id, kind, status FROM gift.gifts ORDER BY order_id",
    "gift.gift_stock": "SELECT kind, quantity FROM gift.gift_stock",
    "delivery.deliveries": "SELECT order_id, status, rider FROM delivery.deliveries ORDER BY order_id",
    "mypage.mypage": "SELECT * FROM mypage.mypage ORDER BY order_id",
    "mypage.timeline": "SELECT event_id, position FROM mypage.timeline ORDER BY position",
    **{f"{c}.outbox": f"SELECT id, name FROM {c}.outbox ORDER BY id" for c in CONTEXTS},
    **{f"{c}.inbox": f"SELECT event_id FROM {c}.inbox ORDER BY event_id" for c in CONTEXTS},
}


def snapshot(dsn: str) -> dict:
    return {name: query(dsn, sql) for name, sql in SNAPSHOT.items()}


def order(service, code: str = "kimchi-jjigae", quantity: int = 1, **fields) -> int:
    response = service.command("PlaceOrder", {"lines": [{"item_code": code, "quantity": quantity}], **fields})
    assert response.status_code == 200, response.text
    return response.json()["result"]["order_id"]


def mypage(service, order_id: int) -> dict:
    response = service.http.get(f"/views/mypage/{order_id}")
    return response.json() if response.status_code == 200 else {}


def test_every_message_delivered_twice_changes_nothing(services, nats_server, stream, pg_dsn):
    chain = services(*CONTEXTS)
    counter, kitchen, delivery = chain["ordering"], chain["kitchen"], chain["delivery"]
    delivered = order(counter, customer_name="Kim", phone="010-1234-5678", address="Seoul")
    cancelled = order(counter)
    assert kitchen.command("MarkSoldOut", {"item_code": "bibimbap"}).status_code == 200
    sold_out = order(counter, "bibimbap")
    wait_for(lambda: mypage(chain["mypage"], delivered).get("cookStatus") == "queued", what="the ticket")
    assert counter.command("CancelOrder", {"order_id": cancelled, "reason": "test"}).status_code == 200
    for step in ("StartCooking", "FinishCooking"):
        assert kitchen.command(step, {"order_id": delivered}).status_code == 200
    wait_for(lambda: delivery.http.get("/views/board").json()["waiting"], what="the delivery")
    for step in ("PickUp", "Deliver"):
        assert delivery.command(step, {"order_id": delivered}).status_code == 200
    wait_for(lambda: mypage(chain["mypage"], delivered).get("deliveryStatus") == "delivered", what="delivered")
    wait_for(lambda: mypage(chain["mypage"], cancelled).get("giftStatus") == "cancelled", what="gift returned")
    wait_for(lambda: mypage(chain["mypage"], sold_out).get("orderStatus") == "cancelled", what="out of stock")
    wait_for(lambda: run_async(consumers_idle, nats_server.url, stream, CONSUMERS), what="consumers idle")
    before = snapshot(pg_dsn)
    assert before["gift.gifts"] and len(before["mypage.mypage"]) == 3

    originals = run_async(stream_messages, nats_server.url, stream)
    for name in ("gift", "ordering"):   # narrowed: sent every event they handle, and not the others
        deliveries = run_async(consumer_info, nats_server.url, stream, name).delivered.consumer_seq
        handled = sum(SPECS[name].wants(m.subject.rsplit(".", 1)[-1]) for m in originals)
        assert 0 < handled <= deliveries < len(originals), name
    for message in originals:   # the same event again, under a new message id the server cannot dedupe
        headers = {**message.headers, wire.MSG_ID: f"again:{message.seq}"}
        run_async(publish_raw, nats_server.url, message.subject, message.data, headers)
    wait_for(lambda: len(run_async(stream_messages, nats_server.url, stream)) == 2 * len(originals), what="copies")
    wait_for(lambda: run_async(consumers_idle, nats_server.url, stream, CONSUMERS), what="consumers idle again")
    assert snapshot(pg_dsn) == before
    assert all(service.readiness()["parked"] == 0 for service in chain.values())
    check_views(chain, delivered, sold_out)


def check_views(chain, delivered: int, sold_out: int) -> None:
    """The views answer in the gateway's wire JSON (decoded here by the remote adapter's own codec)."""
    from services.remote import codec
    menu = [codec.menu_item(j) for j in chain["ordering"].http.get("/views/menu").json()]
    assert menu[0].code == "kimchi-jjigae" and all(item.stock == 0 for item in menu)   # stock: the kitchen's
    assert chain["kitchen"].http.get("/views/stock").json()["bibimbap"] == 0
    assert chain["kitchen"].http.get("/views/tickets").json() == []                   # none open any more
    assert codec.gift_stock(chain["gift"].http.get("/views/stock").json()).quantity >= 0
    board = codec.delivery_board(chain["delivery"].http.get("/views/board", params={"since": 0}).json())
    assert [card.order_id for card in board.delivered_today] == [delivered]
    card = codec.mypage(chain["mypage"].http.get(f"/views/mypage/{delivered}").json())
    assert [entry.event for entry in card.timeline][-1] == "Delivered"
    assert all(a.position < b.position for a, b in zip(card.timeline, card.timeline[1:]))
    by_phone = chain["mypage"].http.get("/views/mypage", params={"phone": "01012345678"}).json()
    assert [codec.mypage(j).order_id for j in by_phone] == [delivered]
    today = [codec.summary(j) for j in chain["mypage"].http.get("/views/today", params={"since": 0}).json()]
    assert {s.order_id: s.status for s in today}[sold_out] == "cancelled"
    missing = chain["mypage"].http.get("/views/mypage/999999")
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_order"
    assert "sikdang_consumer_handled_total" in chain["kitchen"].http.get("/metrics").text


def test_a_poison_event_is_parked_and_the_consumer_carries_on(services, nats_server, stream, pg_dsn):
    kitchen = services("kitchen")["kitchen"]
    subject = f"{stream.lower()}.ordering.Ordered"
    run_async(publish_raw, nats_server.url, subject, b"not json", {wire.MSG_ID: "x:1", wire.ORDER_ID: "seventy"})
    bad_lines = wire.event_message(stream, "ordering", 2, 1.0, "Ordered", 71, {
        "order_id": 71, "customer_name": "", "phone": "", "address": "", "lines": [{"what": 1}], "total": 1,
        "placed_at": 1.0, "scheduled_for": None})
    run_async(publish_raw, nats_server.url, bad_lines.subject, bad_lines.body, bad_lines.headers)
    good = wire.event_message(stream, "ordering", 3, 1.0, "Ordered", 72, {
        "order_id": 72, "customer_name": "", "phone": "", "address": "", "total": 9000, "placed_at": 1.0,
        "lines": [{"item_code": "kimchi-jjigae", "name_ko": "김치찌개", "name_en": "Kimchi stew", "quantity": 1,
                   "note": "", "unit_price": 9000}], "scheduled_for": None})
    run_async(publish_raw, nats_server.url, good.subject, good.body, good.headers)

    wait_for(lambda: scalar(pg_dsn, "SELECT count(*) FROM kitchen.tickets WHERE order_id = 72"), what="the good one")
    wait_for(lambda: kitchen.readiness()["parked"] == 2, what="two parked")
    parked = {p["event_id"]: p for p in kitchen.http.get("/views/parked").json()}
    # Parked on its MAX_ATTEMPTS-th delivery or later: on a busy machine a delivery can reach the consumer
    # just as its fetch gave up, and the server sends it again only after ack_wait (a busy run saw 6).
    assert parked["ordering:2"]["deliveries"] >= MAX_ATTEMPTS and "KeyError" in parked["ordering:2"]["error"]
    assert "undecodable" in next(p for k, p in parked.items() if k != "ordering:2")["error"]
    wait_for(lambda: run_async(consumers_idle, nats_server.url, stream, ["kitchen"]), what="all acked")


def test_services_reconnect_after_nats_server_restarts(services, nats_server, stream, pg_dsn):
    chain = services("ordering", "kitchen", "mypage")
    first = order(chain["ordering"])
    wait_for(lambda: mypage(chain["mypage"], first).get("cookStatus") == "queued", what="first saga")
    nats_server.stop()
    wait_for(lambda: chain["ordering"].readiness()["broker"] == "down", what="the outage noticed")
    assert chain["ordering"].readiness()["status"] == "ok"      # commands need only the database
    during = order(chain["ordering"])                           # kept in the outbox meanwhile
    assert chain["ordering"].readiness()["relayLag"] > 0
    nats_server.start()
    wait_for(lambda: all(s.readiness()["broker"] == "ok" for s in chain.values()), what="reconnected")
    after = order(chain["ordering"])
    for order_id in (during, after):
        wait_for(lambda o=order_id: mypage(chain["mypage"], o).get("cookStatus") == "queued", what="saga after restart")
    assert scalar(pg_dsn, "SELECT count(*) FROM kitchen.tickets") == 3


def test_an_order_is_taken_when_the_gift_service_is_down_and_its_gift_follows(chain_env, nats_server, stream,
                                                                              pg_dsn, tmp_path):
    gift = ServiceProcess("gift", chain_env, tmp_path)      # its port is known; it is not started yet
    ordering = ServiceProcess("ordering", {**chain_env, "SIKDANG_SERVICE_URLS": json.dumps({"gift": gift.url})},
                              tmp_path).start()
    try:
        ordering.wait_ready()
        receipt = ordering.command("PlaceOrder", {"lines": [{"item_code": "kimchi-jjigae", "quantity": 1}]})
        assert receipt.status_code == 200 and receipt.json()["result"]["gift_status"] == "deferred"
        gift.start().wait_ready()
        order_id = receipt.json()["result"]["order_id"]
        # (the leader retries every 5 s, once the breaker's 5 s are over: a busy machine needs more than a minute)
        wait_for(lambda: scalar(pg_dsn, "SELECT gift_status FROM ordering.orders WHERE id = %s", (order_id,)) == "sent",
                 deadline_s=180, what="the deferred gift sent by the leader's retry")
        assert scalar(pg_dsn, "SELECT count(*) FROM gift.gifts WHERE order_id = %s", (order_id,)) == 1
        # the retry publishes the gift's answer after the order's earlier events, as the first call would
        # (on a busy machine a retry may time out after the gift was issued: one more GiftDeferred, then the
        # next retry gets the same gift back)
        def in_order():
            names = [e[1] for e in order_events(nats_server.url, stream, order_id)]
            return names[:2] == ["Ordered", "GiftDeferred"] and names[-1] == "GiftSent" and \
                set(names[2:-1]) <= {"GiftDeferred"}
        wait_for(in_order, what="the saga's events in order")
    finally:
        ordering.close()
        gift.close()
