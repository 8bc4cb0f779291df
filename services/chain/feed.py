"""The chain's live feed, read from the JetStream stream: the port's ``subscribe`` and ``events_since``.

A position is the message's JetStream stream sequence (CHAIN.md, "Events on the wire"). One ordered
push consumer follows the whole stream from the moment the feed starts; every message it brings is

- kept in a ring buffer, so ``events_since`` for a recent position (a screen or an SSE stream polling)
  is answered from memory; an older position is read from the stream itself by a short-lived consumer;
- handed to the subscribers (on the feed's own thread, in stream order);
- looked at for the stock check of an order, so ``place_order`` can wait for it (``outcome``).

Reconnects: nats-py reconnects the connection by itself and its ordered consumer resets on missed
heartbeats, but not always after a server restart (nats-py #504), so a watchdog compares the stream's
last sequence with ours every ``watch_interval`` seconds and subscribes again from where we were when
we have fallen behind. A stream that lost messages in a broker crash (its last sequence went back)
is followed from its new end; the relays publish the lost events again (PostgreSQL is the record).
"""
from __future__ import annotations

import asyncio
import bisect
import collections
import concurrent.futures
import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from collections.abc import Callable, Collection

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext, api

from services.chain.tasks import cancel_all
from services.port import EventRecord

log = logging.getLogger(__name__)
BUFFER = 50_000           # recent events kept for events_since (a few minutes of a busy chain)
STOP_TASKS_S = 5.0        # what nats-py leaves running must end with the loop, not hold it
OUTCOMES = 50_000         # orders whose stock check we remember, for a place_order that asks late


@dataclass(frozen=True)
class StockOutcome:
    """What the stock check made of an order: "placed", or "cancelled" with the reason."""
    status: str
    reason: str = ""


def record_of(msg) -> EventRecord:
    body = json.loads(msg.data)
    return EventRecord(position=msg.metadata.sequence.stream, name=body["name"], order_id=body["order_id"],
                       at=datetime.fromtimestamp(body["at"], tz=timezone.utc), data=body.get("data") or {})


class _Subscriber:
    __slots__ = ("callback", "names")

    def __init__(self, callback, names) -> None:
        self.callback, self.names = callback, names


class ChainFeed:
    _js: JetStreamContext     # set by ``_start``, which the constructor waits for

    def __init__(self, nats_url: str, stream: str, *, watch_interval: float = 1.0) -> None:
        self.nats_url, self.stream = nats_url, stream
        self.subject = f"{stream.lower()}.>"
        self._watch_interval = watch_interval
        self._subscribers: list[_Subscriber] = []
        self._buffer: collections.deque[EventRecord] = collections.deque(maxlen=BUFFER)
        self._positions: collections.deque[int] = collections.deque(maxlen=BUFFER)
        self._outcomes: collections.OrderedDict[int, StockOutcome] = collections.OrderedDict()
        self._out_of_stock: set[int] = set()       # checked short: the cancel (with its reason) follows
        self._waiters: dict[int, list[concurrent.futures.Future]] = {}
        self._lock = threading.Lock()
        self.position = 0                         # the last stream sequence delivered to subscribers
        self._last_message = time.monotonic()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="chain-feed", daemon=True)
        self._thread.start()
        self._nc: Client | None = None
        self._sub: JetStreamContext.PushSubscription | None = None
        self._watchdog: asyncio.Future[None] | None = None
        self._call(self._start(), timeout=30)

    # -- the port -----------------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[EventRecord], None], names: Collection[str] | None = None
                  ) -> Callable[[], None]:
        subscriber = _Subscriber(callback, None if names is None else frozenset(names))
        with self._lock:
            self._subscribers = [*self._subscribers, subscriber]

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers = [s for s in self._subscribers if s is not subscriber]
        return unsubscribe

    def events_since(self, position: int, limit: int = 500) -> list[EventRecord]:
        with self._lock:
            if self._positions and self._positions[0] <= position + 1:
                start = bisect.bisect_right(self._positions, position)
                return [self._buffer[i] for i in range(start, min(start + limit, len(self._buffer)))]
        return self._call(self._read_stream(position, limit), timeout=60)

    def latest_position(self) -> int:
        """The stream's last sequence (0 when empty)."""
        return self._call(self._last_seq(), timeout=10)

    def consumers_idle(self, names: Collection[str]) -> bool:
        """Whether the durable consumers ``names`` have every message of the stream delivered and acked
        (a service acks only after its transaction commits): asked of the server, never a stale figure."""
        return self._call(self._consumers_idle(frozenset(names)), timeout=10)

    async def _consumers_idle(self, names: frozenset[str]) -> bool:
        for name in names:
            info = await self._js.consumer_info(self.stream, name)
            if info.num_pending or info.num_ack_pending:
                return False
        return True

    def outcome(self, order_id: int) -> concurrent.futures.Future:
        """A future of the order's ``StockOutcome``, already done when the feed has seen it."""
        future: concurrent.futures.Future = concurrent.futures.Future()
        with self._lock:
            known = self._outcomes.get(order_id)
            if known is None:
                self._waiters.setdefault(order_id, []).append(future)
        if known is not None:
            future.set_result(known)
        return future

    def forget(self, order_id: int, future: concurrent.futures.Future) -> None:
        with self._lock:
            waiting = self._waiters.get(order_id, [])
            if future in waiting:
                waiting.remove(future)
            if not waiting:
                self._waiters.pop(order_id, None)

    def close(self) -> None:
        try:
            self._call(self._stop(), timeout=10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)

    # -- the loop -----------------------------------------------------------------------------------
    def _call(self, coroutine, timeout: float):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    async def _start(self) -> None:
        self._nc = nc = await nats.connect(self.nats_url, max_reconnect_attempts=-1, reconnect_time_wait=0.5,
                                           name="sikdang-gateway-feed", error_cb=self._on_error)
        self._js = nc.jetstream()
        self.position = await self._last_seq()
        await self._follow()
        self._watchdog = asyncio.ensure_future(self._watch())

    @staticmethod
    async def _on_error(exc: Exception) -> None:
        log.info("feed connection: %s", exc or type(exc).__name__)   # nats-py reconnects by itself

    async def _stop(self) -> None:
        if self._watchdog:
            self._watchdog.cancel()
        if self._nc:
            await self._nc.close()
        # What nats-py leaves behind (an ordered consumer's heartbeat checks) ends with the loop.
        await cancel_all([t for t in asyncio.all_tasks() if t is not asyncio.current_task()], STOP_TASKS_S)

    async def _last_seq(self) -> int:
        info = await self._js.stream_info(self.stream)
        return info.state.last_seq

    async def _follow(self) -> None:
        """(Re)subscribe from just after ``self.position``."""
        if self._sub is not None:
            try:
                await self._sub.unsubscribe()
            except Exception:  # noqa: BLE001 - the old subscription may be gone with its connection
                pass
        config = api.ConsumerConfig(deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE,
                                    opt_start_seq=self.position + 1)
        self._sub = await self._js.subscribe(self.subject, stream=self.stream, ordered_consumer=True,
                                             config=config, cb=self._on_message, idle_heartbeat=2.0)
        self._last_message = time.monotonic()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self._watch_interval)
            try:
                # Compared with the position before asking: messages delivered while the answer is on its
                # way move it past the ``last`` read, which is no broker crash (following "the new end"
                # then would hand the subscribers those messages twice).
                position = self.position
                last = await self._last_seq()
                if last < position:
                    log.warning("stream %s went back from %s to %s (broker crash): following its new end",
                                self.stream, position, last)
                    self.position = last
                    await self._follow()
                elif last > self.position and time.monotonic() - self._last_message > 2 * self._watch_interval:
                    log.warning("feed of %s stalled at %s (stream at %s): subscribing again",
                                self.stream, self.position, last)
                    await self._follow()
            except Exception as exc:  # noqa: BLE001 - the broker is away: keep watching until it is back
                log.info("feed watchdog: %s", exc)

    async def _on_message(self, msg) -> None:
        self._last_message = time.monotonic()
        try:
            record = record_of(msg)
        except Exception:  # noqa: BLE001 - one unreadable message must not stop the feed
            log.exception("unreadable message on %s", msg.subject)
            return
        if record.position <= self.position:
            return                                 # a resubscription overlapping what we had
        self.position = record.position
        with self._lock:
            self._buffer.append(record)
            self._positions.append(record.position)
            subscribers = self._subscribers
        self._note_outcome(record)
        for subscriber in subscribers:
            if subscriber.names is None or record.name in subscriber.names:
                try:
                    subscriber.callback(record)
                except Exception:  # noqa: BLE001 - one broken screen never stops the others
                    log.exception("subscriber %r failed on %s", subscriber.callback, record.name)

    def _note_outcome(self, record: EventRecord) -> None:
        outcome = None
        if record.name == "StockChecked":
            if record.data.get("in_stock"):
                outcome = StockOutcome("placed")
            else:
                self._out_of_stock.add(record.order_id)   # ordering cancels it next, with the reason
        elif record.name == "OrderCancelled":
            self._out_of_stock.discard(record.order_id)
            outcome = StockOutcome("cancelled", record.data.get("reason", ""))
        if outcome is None:
            return
        with self._lock:
            if record.order_id in self._outcomes and outcome.status == "placed":
                return
            self._outcomes[record.order_id] = outcome
            while len(self._outcomes) > OUTCOMES:
                self._outcomes.popitem(last=False)
            waiters = self._waiters.pop(record.order_id, [])
        for future in waiters:
            if not future.done():
                future.set_result(outcome)

    async def _read_stream(self, position: int, limit: int) -> list[EventRecord]:
        """Events after ``position`` read from the stream itself (older than the ring buffer)."""
        last = await self._last_seq()
        if position >= last or limit <= 0:
            return []
        config = api.ConsumerConfig(deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE,
                                    opt_start_seq=position + 1)
        sub = await self._js.subscribe(self.subject, stream=self.stream, ordered_consumer=True, config=config)
        records: list[EventRecord] = []
        try:
            while len(records) < limit:
                msg = await sub.next_msg(timeout=5)
                records.append(record_of(msg))
                if records[-1].position >= last:
                    break
        except nats.errors.TimeoutError:
            pass                                   # fewer than expected (deleted messages): what there is
        finally:
            await sub.unsubscribe()
        return records
