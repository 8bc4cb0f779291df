"""The consumer's database side: a fetched batch of events handled in one PostgreSQL transaction.

Every event's id goes into the ``inbox`` with its effects and outbox rows: a redelivered event finds
its id there and changes nothing. Handlers almost never fail, so a batch is first handled all at once:
one statement takes every new id into the inbox, the handlers run in the stream's order, and mypage
(a projection) writes every event into its ``timeline`` and projects each order it touched once, from
its whole timeline. If anything fails, that transaction is rolled back and the batch is handled again
one event at a time, each in a savepoint (as the local shop's writer does:
docs/decisions/0004-optimistic-batches.md): the failing event is rolled back to its savepoint and
NAKed with a growing delay, and on its ``MAX_ATTEMPTS``-th delivery it is parked instead (a ``parked``
row, counted by ``/readyz``) and acked, so one poison event cannot stop the context. A body that cannot
be decoded is parked at once. A database failure raises: the caller NAKs the whole batch.

Mypage keeps every event of an order in its ``timeline`` (position = stream sequence) and projects the
order's row again from it with ``mypage.project``: its events come from several relays. Normally they
reach the stream in causal order (ordering publishes the gift's answer after ``Ordered``:
services/chain/gift_client.py), but not always: with ordering's relay down past the gift's hold, the
gift's own relay publishes ``GiftSent`` first. The projection, which skips any event older than the row
and ignores anything before ``Ordered``, is therefore handed them Ordered first, then by position.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from types import SimpleNamespace
from typing import NamedTuple

import psycopg

from services.chain import wire
from services.chain.store import HandlerContext, Store
from services.events import Ordered, event_from_dict
from services.infra.sql import from_json, to_json
from services.ops.logs import order_context

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_DELAYS_S = (0.5, 1.0, 2.0, 4.0)
ACK = "ack"
NAK = "nak"

_INBOX = "INSERT INTO inbox (event_id, at) VALUES (%s, %s) ON CONFLICT DO NOTHING"
_INBOX_ALL = ("INSERT INTO inbox (event_id, at) SELECT id, %s FROM unnest(%s::text[]) AS id"
              " ON CONFLICT DO NOTHING RETURNING event_id")
_PARK = ("INSERT INTO parked (event_id, seq, subject, body, error, deliveries, at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
         " ON CONFLICT DO NOTHING")
_TIMELINE = ("INSERT INTO timeline (event_id, position, order_id, name, at, data) VALUES (%s, %s, %s, %s, %s, %s)"
             " ON CONFLICT DO NOTHING")
_TIMELINES = ("SELECT order_id, position, at, name, data FROM timeline WHERE order_id = ANY(%s)"
              " ORDER BY order_id, position")


class Item(NamedTuple):
    subject: str
    seq: int
    deliveries: int
    order_id: int
    body: bytes


class Outcome(NamedTuple):
    verdict: str          # ACK or NAK
    delay_s: float = 0.0
    handled: bool = False  # the handler ran and its effects commit with the batch (not a redelivery)


class _HandlerFailed(Exception):
    """A handler failed while the batch was handled all at once: it is handled again one by one."""


class EventBatch:
    def __init__(self, store: Store) -> None:
        self.store, self.spec = store, store.spec

    def process(self, items: list[Item]) -> list[Outcome]:
        """Handle ``items`` in one transaction; returns each one's verdict (see the module docstring)."""
        try:
            return self._transaction(items, careful=False)
        except _HandlerFailed:
            return self._transaction(items, careful=True)

    def _transaction(self, items: list[Item], careful: bool) -> list[Outcome]:
        orders = {item.order_id for item in items if item.order_id > 0}
        exclusive = any(item.order_id <= 0 for item in items)
        with self.store.transaction(orders=sorted(orders), exclusive=exclusive) as ctx:
            if careful:
                return [self._one(ctx, item) for item in items]
            return self._all_at_once(ctx, items)

    # -- all at once ------------------------------------------------------------------------------------
    def _all_at_once(self, ctx: HandlerContext, items: list[Item]) -> list[Outcome]:
        outcomes: list[Outcome] = [Outcome(ACK)] * len(items)    # a redelivery unless handled below
        decoded = []
        for index, item in enumerate(items):
            try:
                decoded.append((index, item, wire.decode_event(item.body)))
            except Exception as exc:  # noqa: BLE001 - undecodable: parked when the batch goes one by one
                raise _HandlerFailed from exc
        new = {row[0] for row in ctx.sql.conn.execute(_INBOX_ALL, (ctx.now, [r.id for _, _, r in decoded]))}
        todo = []
        for index, item, received in decoded:
            if received.id in new:
                new.discard(received.id)           # the same event twice in one batch: handled once
                todo.append((index, item, received))
        try:
            if self.spec.projection is not None:
                self._project_all(ctx, [(item, received) for _, item, received in todo])
            else:
                for _, item, received in todo:
                    with order_context(item.order_id if item.order_id > 0 else None):   # the handler's log lines
                        self.spec.event_handlers[type(received.event)](received.event, ctx)
        except psycopg.OperationalError:
            raise
        except Exception as exc:  # noqa: BLE001 - which one failed is found one by one
            raise _HandlerFailed from exc
        for index, _, _ in todo:
            outcomes[index] = Outcome(ACK, handled=True)
        return outcomes

    def _project_all(self, ctx: HandlerContext, todo: list[tuple[Item, wire.ReceivedEvent]]) -> None:
        project = self.spec.projection
        if not todo or project is None:
            return
        conn = ctx.sql.conn
        with conn.cursor() as cursor:
            cursor.executemany(_TIMELINE, [_timeline_row(item, received) for item, received in todo])
        orders = sorted({received.event.order_id for _, received in todo})
        timelines: dict[int, list] = defaultdict(list)
        for order_id, position, at, name, data in conn.execute(_TIMELINES, (orders,)):
            timelines[order_id].append((position, at, event_from_dict(name, from_json(data))))
        project([record for order_id in orders for record in _replayed(timelines[order_id])],
                SimpleNamespace(repo=_Replay(ctx.repo)))

    # -- one by one, each in a savepoint ----------------------------------------------------------------
    def _one(self, ctx: HandlerContext, item: Item) -> Outcome:
        with order_context(item.order_id if item.order_id > 0 else None):   # the handler's own log lines
            return self._one_of_order(ctx, item)

    def _one_of_order(self, ctx: HandlerContext, item: Item) -> Outcome:
        conn = ctx.sql.conn
        try:
            received = wire.decode_event(item.body)
        except Exception as exc:  # noqa: BLE001 - it will never decode: park it now
            return self._park(ctx, item, f"undecodable: {exc!r}", event_id=f"seq:{item.seq}")
        try:
            with conn.transaction():
                if conn.execute(_INBOX, (received.id, ctx.now)).rowcount == 0:
                    return Outcome(ACK)   # handled before: a redelivery
                if self.spec.projection is not None:
                    self._project_all(ctx, [(item, received)])
                else:
                    self.spec.event_handlers[type(received.event)](received.event, ctx)
        except psycopg.OperationalError:
            raise
        except Exception as exc:  # noqa: BLE001 - the handler failed: retried, then parked
            if item.deliveries >= MAX_ATTEMPTS:
                return self._park(ctx, item, f"{type(exc).__name__}: {exc}", event_id=received.id)
            log.warning("%s: %s (seq %d, delivery %d) failed: %r", self.spec.name, received.event.name, item.seq,
                        item.deliveries, exc)
            return Outcome(NAK, RETRY_DELAYS_S[min(item.deliveries, len(RETRY_DELAYS_S)) - 1])
        return Outcome(ACK, handled=True)

    def _park(self, ctx: HandlerContext, item: Item, error: str, event_id: str) -> Outcome:
        log.error("%s parked %s (seq %d) after %d deliveries: %s", self.spec.name, item.subject, item.seq,
                  item.deliveries, error)
        with ctx.sql.conn.transaction():
            ctx.sql.conn.execute(_PARK, (event_id, item.seq, item.subject, item.body.decode("utf-8", "replace"),
                                         error, item.deliveries, ctx.now))
            ctx.sql.conn.execute(_INBOX, (event_id, ctx.now))
        return Outcome(ACK)


def _timeline_row(item: Item, received: wire.ReceivedEvent) -> tuple:
    event = received.event
    return received.id, item.seq, event.order_id, event.name, received.at, to_json(event.__dict__)


def _replayed(records: list[tuple]) -> list[tuple]:
    """One order's timeline as the projection is handed it: Ordered first (at position 0), then the rest
    by position (the sort is stable)."""
    records = sorted(records, key=lambda r: not isinstance(r[2], Ordered))
    return [(0, at, e) if isinstance(e, Ordered) else (p, at, e) for p, at, e in records]


class _Replay:
    """The mypage repository as a replay sees it: no row yet (it is projected afresh), upserts as usual."""

    def __init__(self, repo) -> None:
        self._repo = repo

    def rows(self, _order_ids) -> dict:
        return {}

    def upsert(self, rows) -> None:
        self._repo.upsert(rows)
