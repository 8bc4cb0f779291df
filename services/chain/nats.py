"""JetStream plumbing shared by the services, ``main.py chain`` and the tests: the stream, the consumers,
and a connection that reconnects forever.

The stream keeps every context's events (limits retention, file storage); the duplicate window is the
span in which a re-published ``Nats-Msg-Id`` is dropped by the server (consumers are idempotent anyway:
each has an inbox). One durable pull consumer per consuming context, shared by its replicas.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import nats
from nats.aio.client import Client
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from services.chain.wire import subject_prefix

log = logging.getLogger(__name__)

DUPLICATE_WINDOW_S = 120
ACK_WAIT_S = 15               # a replica killed mid-batch: its messages go to another after this
# The server's own limit is a backstop far above ours: a handler failing MAX_ATTEMPTS times is parked by
# the service (services.chain.consumer), while a database outage (which does not count) is outlasted.
SERVER_MAX_DELIVER = 1000
MAX_ACK_PENDING = 2000


async def ensure_stream(js, name: str):
    """Create the stream ``name`` (subjects ``<name lowercased>.>``) if missing; returns its info."""
    config = StreamConfig(name=name, subjects=[f"{subject_prefix(name)}.>"], retention=RetentionPolicy.LIMITS,
                          storage=StorageType.FILE, duplicate_window=DUPLICATE_WINDOW_S)
    try:
        return await js.stream_info(name)
    except NotFoundError:
        pass
    try:
        return await js.add_stream(config)
    except nats.js.errors.BadRequestError:   # created meanwhile by another process
        return await js.stream_info(name)


def consumer_config(stream: str, context: str, subjects: str = ">") -> ConsumerConfig:
    return ConsumerConfig(durable_name=context, name=context, deliver_policy=DeliverPolicy.ALL,
                          ack_policy=AckPolicy.EXPLICIT, ack_wait=ACK_WAIT_S, max_deliver=SERVER_MAX_DELIVER,
                          max_ack_pending=MAX_ACK_PENDING, filter_subject=f"{subject_prefix(stream)}.{subjects}")


async def ensure_consumer(js, stream: str, context: str, subjects: str = ">") -> None:
    """Create ``context``'s durable pull consumer on ``stream`` filtered to ``subjects`` if missing, or
    update the filter of one made before with another (idempotent, race-safe)."""
    config = consumer_config(stream, context, subjects)
    try:
        info = await js.consumer_info(stream, context)
        if info.config.filter_subject == config.filter_subject:
            return
        log.info("consumer %s: filter %s -> %s", context, info.config.filter_subject, config.filter_subject)
    except NotFoundError:
        pass
    try:   # the server creates it, or updates it in place keeping its position (nats-server 2.9 allows it)
        await js.add_consumer(stream, config=config)
    except nats.js.errors.BadRequestError:
        info = await js.consumer_info(stream, context)   # created meanwhile by another replica: fine
        if info.config.filter_subject != config.filter_subject:
            raise                                        # the server refused the filter: say so


async def connect(url: str, name: str, *, on_reconnect: Callable[[], Awaitable[None]] | None = None,
                  on_disconnect: Callable[[], Awaitable[None]] | None = None) -> Client:
    """A connection that keeps reconnecting (every 0.5 s, forever) once it has connected."""

    async def disconnected():
        log.warning("NATS disconnected (%s)", name)
        if on_disconnect:
            await on_disconnect()

    async def reconnected():
        log.info("NATS reconnected (%s)", name)
        if on_reconnect:
            await on_reconnect()

    async def error(exc):
        log.debug("NATS error (%s): %s", name, exc)

    return await nats.connect(url, name=name, max_reconnect_attempts=-1, reconnect_time_wait=0.5,
                              connect_timeout=2, allow_reconnect=True, disconnected_cb=disconnected,
                              reconnected_cb=reconnected, error_cb=error)
