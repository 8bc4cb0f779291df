"""A context's NATS consumer: the durable pull consumer ``<context>`` shared by its replicas.

Each fetched batch is handled in one PostgreSQL transaction (services/chain/event_batch.py: the inbox
makes a redelivery change nothing; a failing handler is retried, then parked), committed, then acked:
ACK or NAK (with the delay the batch asks for) per message. A database failure NAKs the whole batch,
to be retried later without counting towards parking (the event is not at fault).

One fetcher for a serial context. Replicas fetching from one durable consumer at once can commit two
events of one order in the opposite order of the stream (replica B's later batch taking the lock before
replica A's earlier one): for the kitchen, an ``OrderCancelled`` handled before its ``Ordered`` would
leave a live ticket holding stock for a cancelled order. A serial context gains nothing from parallel
fetchers (its transactions take turns anyway), so there only the leader replica fetches; the others
take over with the lead. Contexts with per-order locks fetch from every replica (mypage's replay does
not mind the order; ordering's and delivery's events of one order are far apart in time).

Draining. Stopping (SIGTERM: the service's stop cancels this task) while a batch is in hand does not
abandon it: the batch's transaction is let finish and what it committed is acked (NAKed without delay
what it did not), up to ``DRAIN_S``; only then does the task end. So a replica stopped by a rolling
restart or scaled away hands nothing to ``ack_wait``: the other replicas get the rest at once.

nats-py pitfalls handled here: a pull subscription stops after a server restart (nats-py #504), so the
subscription is bound again after every reconnection; a fetch can stall past its timeout (#933), so
each fetch is bounded by ``asyncio.wait_for`` and a stalled one re-binds too.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import nats.errors
from nats.js import JetStreamContext

from services.chain import nats as chain_nats
from services.chain import wire
from services.chain.event_batch import ACK, EventBatch, Item, Outcome
from services.chain.store import Store
from services.ops.metrics import CONSUMER_HANDLED, REDELIVERIES

log = logging.getLogger(__name__)

FETCH_BATCH = 100
FETCH_TIMEOUT_S = 1.0
# While busy (the last fetch brought at least LINGER_FROM events, but less than a full batch), wait this
# long before fetching again: each fetch, transaction and commit then carries many events instead of a
# few. A quiet chain (one till) fetches again at once (docs/decisions/0025-the-chain-batches-its-events.md).
FETCH_LINGER_S = 0.02
LINGER_FROM = 4
# A fetch asks for at most FETCH_TIMEOUT_S; one still pending after STALL_S is stuck (nats-py #933/#986).
# Generous: on a starved machine a healthy fetch can be late, and binding again strands what the old
# subscription had received until the server redelivers it (ack_wait).
STALL_S = 30.0
# How long a stopping replica waits for the batch in hand to commit and be acked (see "Draining"):
# under the supervisor's stopwaitsecs (15 s) less uvicorn's graceful shutdown of open requests.
DRAIN_S = 4.0

class Consumer:
    def __init__(self, store: Store, stream: str, jetstream: Callable[[], JetStreamContext | None],
                 active: Callable[[], bool] = lambda: True) -> None:
        self.store, self.spec, self.stream = store, store.spec, stream
        self._jetstream = jetstream
        self._active = active       # whether this replica fetches now (see "One fetcher" above)
        self._generation = 0        # bumped on every reconnection: the loop binds again
        self.lag: int | None = None  # messages not yet handled: pending in the consumer, or in hand
        self.batch = EventBatch(store)
        self.handled = 0

    def rebind(self) -> None:
        self._generation += 1

    async def run(self) -> None:
        while True:
            js = self._jetstream()
            if js is None or not self._active():
                await asyncio.sleep(0.2)
                continue
            generation = self._generation
            try:
                await chain_nats.ensure_stream(js, self.stream)
                await chain_nats.ensure_consumer(js, self.stream, self.spec.name, self.spec.subjects)
                subscription = await js.pull_subscribe_bind(durable=self.spec.name, stream=self.stream)
                try:
                    while generation == self._generation and self._active():
                        await self._fetch_and_handle(subscription)
                finally:
                    await _quietly(subscription.unsubscribe())
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - broker gone or restarted: bind again shortly
                log.warning("%s consumer: %r; binding again", self.spec.name, exc)
                await asyncio.sleep(0.5)

    async def _fetch_and_handle(self, subscription) -> None:
        try:
            messages = await asyncio.wait_for(subscription.fetch(FETCH_BATCH, timeout=FETCH_TIMEOUT_S), STALL_S)
        except nats.errors.TimeoutError:   # nothing to fetch (a subclass of asyncio's: caught first)
            self.lag = 0
            return
        except TimeoutError:
            raise ConnectionError(f"fetch stalled for {STALL_S} s") from None
        wanted, items = [], []
        for message in messages:
            order_id = _order_id(message.headers)
            if self.spec.wants(message.subject.rsplit(".", 1)[-1], order_id):
                meta = message.metadata
                if meta.num_delivered > 1:   # a replica died holding it, or a handler failed: delivered again
                    REDELIVERIES.labels(self.spec.name, self.spec.name).inc()
                wanted.append(message)
                items.append(Item(message.subject, meta.sequence.stream, meta.num_delivered, order_id, message.data))
            else:
                await message.ack()
        pending = messages[-1].metadata.num_pending if messages else 0
        self.lag = pending + len(items)     # in hand counts as lag until acked (callers wait for 0 to read)
        work = asyncio.ensure_future(self._handle(wanted, items))
        try:
            await asyncio.shield(work)
        except asyncio.CancelledError:       # stopping: finish this batch first ("Draining")
            await self._finish_while_stopping(work, len(items))
            raise
        finally:
            self.lag = pending
        if LINGER_FROM <= len(messages) < FETCH_BATCH:   # busy but caught up: let the next batch gather
            await asyncio.sleep(FETCH_LINGER_S)

    async def _finish_while_stopping(self, work: asyncio.Future, count: int) -> None:
        """Let the batch in hand commit and be acked, up to DRAIN_S, however often the stop asks again
        (services.chain.tasks.cancel_all repeats its cancel; ``asyncio.wait`` never cancels ``work``)."""
        log.info("%s consumer: stopping; finishing the %d events in hand", self.spec.name, count)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + DRAIN_S
        while not work.done() and (left := deadline - loop.time()) > 0:
            try:
                await asyncio.wait({work}, timeout=left)
            except asyncio.CancelledError:
                pass
        if not work.done():   # the server redelivers it after ack_wait; the inbox makes that harmless
            log.warning("%s consumer: the batch in hand was not finished while stopping", self.spec.name)
        elif not work.cancelled() and work.exception() is not None:
            log.warning("%s consumer: the batch in hand failed while stopping: %r", self.spec.name, work.exception())

    async def _handle(self, wanted: list, items: list[Item]) -> None:
        if not items:
            return
        try:
            outcomes = await asyncio.to_thread(self.process, items)
        except Exception as exc:  # noqa: BLE001 - the database: the whole batch comes back later
            log.warning("%s consumer: batch of %d not handled: %r", self.spec.name, len(items), exc)
            for message, item in zip(wanted, items):
                await _quietly(message.nak(delay=min(float(item.deliveries), 10.0)))
            return
        for message, item, outcome in zip(wanted, items, outcomes, strict=True):
            if outcome.verdict == ACK:
                await message.ack()
            else:
                await message.nak(delay=outcome.delay_s)
            log.info("%s consumer: %s %s (seq %d, delivery %d)", self.spec.name,
                     "handled" if outcome.verdict == ACK else "will retry", message.subject.rsplit(".", 1)[-1],
                     item.seq, item.deliveries, extra={"order_id": item.order_id if item.order_id > 0 else None})

    def process(self, items: list[Item]) -> list[Outcome]:
        """Handle ``items`` in one transaction (a worker thread); returns each one's verdict."""
        outcomes = self.batch.process(items)
        handled = sum(outcome.handled for outcome in outcomes)
        self.handled += handled
        CONSUMER_HANDLED.labels(self.spec.name, self.spec.name).inc(handled)
        return outcomes


def _order_id(headers) -> int:
    """The message's order id header; -1 when it is missing or not a number (handled, never trusted)."""
    value = (headers or {}).get(wire.ORDER_ID, "")
    return int(value) if value.lstrip("-").isdigit() else -1


async def _quietly(awaitable) -> None:
    try:
        await awaitable
    except Exception:  # noqa: BLE001 - best effort (the connection may be gone; the server redelivers)
        pass
