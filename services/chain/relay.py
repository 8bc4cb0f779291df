"""The outbox relay: publishes a context's unsent outbox rows to JetStream, in id order, and marks them
sent only after the server's ack. It runs in the leader replica only (``services.chain.leader``), so
one order's events keep their order; it works on the leader's own connection.

At-least-once, never lost: a relay that dies between publish and mark publishes the same rows again
when it (or another replica) leads next; the server drops them as duplicates (same ``Nats-Msg-Id``
within the duplicate window) and the consumers' inboxes drop whatever gets through.

PostgreSQL is the record: sent rows are kept with the stream sequence of their ack. ``catch_up`` runs
when the relay starts leading and after every reconnection to NATS: it finds the sent rows the
broker no longer has (nats-server 2.9 acks before writing to disk, so a crash loses a tail of the
stream) and marks them unsent, so they are published again. Automatic, no operator command.

Held rows and copies (the order -> gift call, services/chain/gift_client.py): a row with ``hold_until``
waits until then (its caller publishes a copy first); a row with ``msg_id`` is such a copy, published
under that id and its context's subject. A held row published after its caller's copy is acked as a
duplicate carrying the copy's sequence, which is recorded as its own: the stream holds its id there.
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import time

import psycopg
from nats.js.errors import NotFoundError

from services import settings
from services.chain import wire
from services.ops.metrics import RELAY_PUBLISHED

log = logging.getLogger(__name__)

BATCH = 500
PIPELINE = 64                 # publishes in flight at once (acks awaited together, order kept per connection)
# How far back from the last row sent the relay looks for rows the broker lost. nats-server 2.9 flushes
# its store every 2 minutes: older rows were on its disk. Counted from the last send, not from now, so
# a broker (or chain) down for an hour is checked as well as one down for a second.
CATCH_UP_WINDOW_S = 5 * 60
# Unsent and not held: a row held (``hold_until``, the events of a call another service makes inside its own
# transaction) waits until then, because the caller publishes a copy first, in its own order.
DUE = "sent_at IS NULL AND (hold_until IS NULL OR hold_until <= %s)"
_UNSENT = f"SELECT id, name, order_id, at, data, msg_id FROM outbox WHERE {DUE} ORDER BY id LIMIT %s"
_MARK = ("UPDATE outbox AS o SET sent_at = %s, seq = u.seq FROM unnest(%s::bigint[], %s::bigint[]) AS u(id, seq)"
         " WHERE o.id = u.id")
_RECENT = ("SELECT id, seq, msg_id FROM outbox WHERE seq IS NOT NULL"
           " AND sent_at >= (SELECT max(sent_at) FROM outbox) - %s ORDER BY seq, id")
_UNMARK = "UPDATE outbox SET sent_at = NULL, seq = NULL WHERE id = ANY(%s)"
FAILPOINT = "relay-after-publish"   # SIKDANG_FAILPOINT: SIGKILL this process between publish and mark (tests)


class Relay:
    def __init__(self, context: str, stream: str) -> None:
        self.context, self.stream = context, stream
        self.published = 0

    async def publish_pending(self, conn: psycopg.AsyncConnection, js) -> int:
        """Publish the rows due until none is left; returns how many were published. Raises on a broker
        or database failure (what was acked and marked stays marked; the rest is retried)."""
        total = 0
        while True:
            rows = await (await conn.execute(_UNSENT, (time.time(), BATCH))).fetchall()
            if not rows:
                return total
            for start in range(0, len(rows), PIPELINE):
                chunk = rows[start:start + PIPELINE]
                acked = await self._publish(js, chunk)
                if acked and settings.failpoint() == FAILPOINT:
                    os.kill(os.getpid(), signal.SIGKILL)
                if acked:
                    await conn.execute(_MARK, (time.time(), [r[0] for r in chunk[:len(acked)]], acked))
                    total += len(acked)
                    self.published += len(acked)
                    RELAY_PUBLISHED.labels(self.context).inc(len(acked))
                if len(acked) < len(chunk):
                    raise ConnectionError(f"{len(chunk) - len(acked)} events were not acknowledged by JetStream")
            if len(rows) < BATCH:   # all that was due is sent; a row committed since NOTIFYs the leader again
                return total

    async def _publish(self, js, rows) -> list[int]:
        """Publish ``rows`` together; returns the stream sequences of the acked prefix (stops at a failure)."""
        messages = [wire.event_message(self.stream, self.context, id_, at, name, order_id, data, msg_id)
                    for id_, name, order_id, at, data, msg_id in rows]
        results = await asyncio.gather(*(js.publish(m.subject, m.body, headers=m.headers, stream=self.stream)
                                         for m in messages), return_exceptions=True)
        acked = []
        for (id_, name, order_id, *_), result in zip(rows, results):
            if isinstance(result, BaseException):
                log.warning("relay %s: publish failed: %r", self.context, result, extra={"order_id": order_id})
                break
            acked.append(result.seq)
            # a duplicate: the caller of a held row published it first (the seq is that copy's)
            log.info("relay %s: published %s (outbox %d, stream seq %d%s)", self.context, name, id_, result.seq,
                     ", a duplicate" if result.duplicate else "", extra={"order_id": order_id})
        return acked

    async def catch_up(self, conn: psycopg.AsyncConnection, js) -> int:
        """Mark unsent again the recently sent rows the stream no longer holds; returns how many.

        A broker crash loses a tail of the stream: the rows still there form a prefix of ours by
        sequence, so a binary search over our recent rows (a message fetched per step) finds the first
        one lost; it and every later one are published again.
        """
        rows = await (await conn.execute(_RECENT, (CATCH_UP_WINDOW_S,))).fetchall()
        low, high = 0, len(rows)
        while low < high:
            middle = (low + high) // 2
            if await self._held(js, *rows[middle]):
                low = middle + 1
            else:
                high = middle
        lost = [row[0] for row in rows[low:]]
        if lost:
            log.warning("relay %s: the stream lost %d sent events (from outbox id %d); publishing them again",
                        self.context, len(lost), lost[0])
            await conn.execute(_UNMARK, (lost,))
        return len(lost)

    async def _held(self, js, outbox_id: int, seq: int, msg_id: str | None) -> bool:
        """Whether the stream holds the row at ``seq``. A held row the caller published first was acked as a
        duplicate with the caller's sequence, which holds the same id: it counts as ours."""
        try:
            message = await js.get_msg(self.stream, seq=seq)
        except NotFoundError:   # no such message (or no such stream: it was lost with the broker's store)
            return False
        return (message.headers or {}).get(wire.MSG_ID) == (msg_id or wire.event_id(self.context, outbox_id))
