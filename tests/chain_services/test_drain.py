"""A service stopped (SIGTERM, as a rolling restart or a scale-down does) with a batch of events in hand
finishes it: the batch commits and is acked before the process exits, so nothing waits for ack_wait
(15 s) to reach another replica."""
from __future__ import annotations

import signal

import psycopg

from services.chain.schema import lock_key
from tests.chain_services.support import query, run_async, wait_for

DRAINING = "stopping; finishing the"


async def consumer_state(url: str, stream: str, name: str) -> tuple[int, int, int]:
    """(messages in hand unacked, last stream sequence delivered, ack floor: every message up to it acked)."""
    import nats
    nc = await nats.connect(url)
    try:
        info = await nc.jetstream().consumer_info(stream, name)
        return info.num_ack_pending, info.delivered.stream_seq, info.ack_floor.stream_seq
    finally:
        await nc.close()


def test_a_replica_stopped_with_events_in_hand_commits_and_acks_them_before_it_exits(services, nats_server, stream,
                                                                                     pg_dsn):
    chain = services("ordering", "mypage")
    mypage = chain["mypage"]
    # Hold mypage's writes: its consumer fetches the order's events and waits on this lock with them in hand.
    with psycopg.connect(pg_dsn, autocommit=True) as blocker:
        blocker.execute("SELECT pg_advisory_lock(%s::bigint)", (lock_key("mypage", "writes"),))
        placed = chain["ordering"].command("PlaceOrder", {"lines": [{"item_code": "bibimbap", "quantity": 1}]})
        assert placed.status_code == 200, placed.text
        order_id = placed.json()["result"]["order_id"]
        state = lambda: run_async(consumer_state, nats_server.url, stream, "mypage")   # noqa: E731
        in_hand, delivered, _ = wait_for(lambda: (now := state())[0] and now, what="mypage holding events unacked")
        mypage.process.send_signal(signal.SIGTERM)
        wait_for(lambda: DRAINING in mypage.log.read_text(), what="the consumer draining its batch")
        blocker.execute("SELECT pg_advisory_unlock(%s::bigint)", (lock_key("mypage", "writes"),))
    assert mypage.process.wait(60) in (0, -signal.SIGTERM)   # uvicorn re-raises the signal once it has stopped
    acked_up_to = state()[2]
    assert acked_up_to >= delivered, f"the {in_hand} events in hand were acked before exit"
    assert query(pg_dsn, "SELECT count(*) FROM mypage.timeline WHERE order_id = %s", (order_id,))[0][0] >= 1
    assert "not finished while stopping" not in mypage.log.read_text()
