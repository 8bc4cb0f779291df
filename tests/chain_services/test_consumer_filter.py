"""A consumer made before its context's filter was narrowed is updated in place by the next start: it
keeps its position (nothing acked comes again) and is sent only what the new filter covers."""
from __future__ import annotations

import nats
import nats.js.errors

from services.chain import nats as chain_nats
from tests.chain_services.support import run_async


async def narrow_a_consumer_made_for_everything(url: str, stream: str):
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        await chain_nats.ensure_stream(js, stream)
        prefix = stream.lower()
        await chain_nats.ensure_consumer(js, stream, "gift")             # as an earlier version made it
        for subject in ("ordering.Ordered", "ordering.OrderCancelled", "gift.GiftSent", "ordering.OrderCancelled"):
            await js.publish(f"{prefix}.{subject}", b"{}")
        subscription = await js.pull_subscribe_bind(durable="gift", stream=stream)
        for message in await subscription.fetch(2, timeout=5):          # Ordered and the first cancel
            await message.ack()
        await nc.flush()
        await subscription.unsubscribe()

        await chain_nats.ensure_consumer(js, stream, "gift", "*.OrderCancelled")
        await chain_nats.ensure_consumer(js, stream, "gift", "*.OrderCancelled")   # a second start: no change
        info = await js.consumer_info(stream, "gift")
        subscription = await js.pull_subscribe_bind(durable="gift", stream=stream)
        received = await subscription.fetch(10, timeout=1)
        return info, [(m.metadata.sequence.stream, m.subject) for m in received]
    finally:
        await nc.close()


def test_a_consumer_narrowed_in_place_keeps_its_position(nats_server, stream):
    info, received = run_async(narrow_a_consumer_made_for_everything, nats_server.url, stream)
    assert info.config.filter_subject == f"{stream.lower()}.*.OrderCancelled"
    assert info.ack_floor.stream_seq == 2
    assert received == [(4, f"{stream.lower()}.ordering.OrderCancelled")]   # not GiftSent, not the acked ones



async def narrow_to(url: str, stream: str, subjects: str):
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        await chain_nats.ensure_stream(js, stream)
        await chain_nats.ensure_consumer(js, stream, "gift")
        try:
            await chain_nats.ensure_consumer(js, stream, "gift", subjects)
        except nats.js.errors.BadRequestError as refused:
            return refused, (await js.consumer_info(stream, "gift")).config.filter_subject
        return None, (await js.consumer_info(stream, "gift")).config.filter_subject
    finally:
        await nc.close()


def test_a_filter_the_server_refuses_stops_the_start_instead_of_passing_for_done(nats_server, stream):
    refused, kept = run_async(narrow_to, nats_server.url, stream, "kitchen.>.Cooked")   # '>' must come last
    assert refused is not None and kept == f"{stream.lower()}.>"
