"""The outbox and its relay, with real service processes, PostgreSQL and nats-server: a command's events
reach the stream once; a relay killed between publish and mark duplicates nothing; a broker that lost
its store gets the lost events again; another replica takes the lead when the leader dies."""
from __future__ import annotations

import signal

import httpx

from services.chain import wire
from tests.chain_services.support import (ServiceProcess, publish_raw, query, run_async, scalar, stream_messages,
                                          wait_for)


def _by_msg_id(messages) -> dict[str, list]:
    found: dict[str, list] = {}
    for message in messages:
        found.setdefault(message.headers[wire.MSG_ID], []).append(message)
    return found


def test_a_command_writes_its_events_to_the_outbox_and_they_reach_nats_once(services, nats_server, stream, pg_dsn):
    kitchen = services("kitchen")["kitchen"]
    assert kitchen.command("Restock", {"item_code": "kimchi-jjigae", "quantity": 3}).status_code == 200
    refused = kitchen.command("StartCooking", {"order_id": 999})
    assert refused.status_code == 404 and refused.json()["code"] == "unknown_order"

    (outbox_id, name), = query(pg_dsn, "SELECT id, name FROM kitchen.outbox")   # the refusal wrote nothing
    assert name == "Restocked"
    wait_for(lambda: scalar(pg_dsn, "SELECT seq FROM kitchen.outbox WHERE id = %s", (outbox_id,)), what="marked sent")
    messages = _by_msg_id(run_async(stream_messages, nats_server.url, stream))
    assert list(messages) == [f"kitchen:{outbox_id}"]
    (message,), = messages.values()
    assert message.subject == f"{stream.lower()}.kitchen.Restocked"
    event = wire.decode_event(message.data).event
    assert (event.item_code, event.quantity) == ("kimchi-jjigae", 3)


def test_a_relay_killed_between_publish_and_mark_duplicates_nothing(services, chain_env, nats_server, stream,
                                                                    pg_dsn, tmp_path):
    kitchen = services("kitchen")["kitchen"]
    on_hand = scalar(pg_dsn, "SELECT on_hand FROM kitchen.stock WHERE item_code = 'kimchi-jjigae'")
    ordering = ServiceProcess("ordering", chain_env, tmp_path).start(SIKDANG_FAILPOINT="relay-after-publish")
    try:
        ordering.wait_ready()
        try:
            ordering.command("PlaceOrder", {"lines": [{"item_code": "kimchi-jjigae", "quantity": 2}],
                                            "client_ref": "kill-1"})
        except httpx.HTTPError:
            pass   # the process may die before it answers: the order was committed before the relay ran
        assert ordering.process.wait(timeout=60) == -signal.SIGKILL
    finally:
        ordering.close()
    published = _by_msg_id(run_async(stream_messages, nats_server.url, stream))
    unmarked = query(pg_dsn, "SELECT id FROM ordering.outbox WHERE sent_at IS NULL ORDER BY id")
    assert unmarked and {f"ordering:{i}" for i, in unmarked} <= set(published)   # published, never marked

    services("ordering")     # a new relay publishes the unmarked rows again
    wait_for(lambda: not scalar(pg_dsn, "SELECT count(*) FROM ordering.outbox WHERE sent_at IS NULL"), what="marked")
    wait_for(lambda: scalar(pg_dsn, "SELECT count(*) FROM kitchen.tickets") == 1, what="the ticket")
    published = _by_msg_id(run_async(stream_messages, nats_server.url, stream))
    assert all(len(copies) == 1 for copies in published.values()), published   # the server dropped the repeats
    assert scalar(pg_dsn, "SELECT on_hand FROM kitchen.stock WHERE item_code = 'kimchi-jjigae'") == on_hand - 2
    assert scalar(pg_dsn, "SELECT count(*) FROM kitchen.inbox WHERE event_id LIKE 'ordering:%%'") == 1
    assert kitchen.readiness()["parked"] == 0


def test_events_the_broker_lost_with_its_store_are_published_again(services, nats_server, stream, pg_dsn):
    kitchen = services("kitchen")["kitchen"]
    assert kitchen.command("Restock", {"item_code": "kimchi-jjigae", "quantity": 1}).status_code == 200
    wait_for(lambda: _by_msg_id(run_async(stream_messages, nats_server.url, stream)), what="published")
    nats_server.restart(lose_store=True)
    again = wait_for(lambda: _by_msg_id(run_async(stream_messages, nats_server.url, stream)), what="published again")
    assert list(again) == ["kitchen:1"]
    wait_for(lambda: kitchen.readiness()["relayLag"] == 0, what="the relay caught up")


def _ordered(stream: str, outbox_id: int, order_id: int):
    return wire.event_message(stream, "ordering", outbox_id, 1.0, "Ordered", order_id, {
        "order_id": order_id, "customer_name": "", "phone": "", "address": "", "total": 9000, "placed_at": 1.0,
        "lines": [{"item_code": "kimchi-jjigae", "name_ko": "김치찌개", "name_en": "Kimchi stew", "quantity": 1,
                   "note": "", "unit_price": 9000}], "scheduled_for": None})


def test_another_replica_takes_the_lead_when_the_leader_dies(chain_env, nats_server, stream, pg_dsn, tmp_path):
    replicas = [ServiceProcess("kitchen", chain_env, tmp_path, replica=str(n)).start() for n in range(2)]
    try:
        for replica in replicas:
            replica.wait_ready()
        leader = wait_for(lambda: [r for r in replicas if r.readiness()["leader"]], what="a leader")
        assert len(leader) == 1
        (follower,) = [r for r in replicas if r is not leader[0]]
        leader[0].kill()
        wait_for(lambda: follower.readiness()["leader"], what="the follower leads")
        assert follower.command("Restock", {"item_code": "kimchi-jjigae", "quantity": 1}).status_code == 200
        wait_for(lambda: follower.readiness()["relayLag"] == 0, what="its relay published")
        message = _ordered(stream, 1, 41)     # the kitchen's events are fetched by its leader only: now this one
        run_async(publish_raw, nats_server.url, message.subject, message.body, message.headers)
        wait_for(lambda: scalar(pg_dsn, "SELECT count(*) FROM kitchen.tickets WHERE order_id = 41"), what="handled")
    finally:
        for replica in replicas:
            replica.close()
