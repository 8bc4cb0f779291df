"""One context's transactions on PostgreSQL: the handler's effects and its outbox rows commit together.

``Store.execute(command)`` runs the context's command handler in one transaction; ``Store.transaction``
is the same frame for the consumer. A handler sees a ``HandlerContext`` offering what the local bus's
does (``repo``, ``now``, ``emit``, ``emit_all``, and ordering's ``gift_service``); ``emit`` writes an
outbox row at once, in the transaction, and the commit NOTIFYs the relay (a wake-up only: the relay
also polls, so a lost notification delays an event by at most its poll interval). A dependency with a
``bound_to(ctx)`` method is bound to each transaction's context (ordering's gift client writes the
gift's answer into the same transaction).

Called commands (``ContextSpec.called``: gift's SendGift, which ordering calls inside its own
transaction) write their events *held* (``hold_until`` = now + ``hold_s``: this context's relay leaves
them alone until then) and answer them with the result (``Called``): the caller copies them into its own
outbox after its own events, so they are published in causal order under their own ids; if the caller
never commits, this relay publishes them once the hold is over (docs/chain.md, "Order -> gift").

Concurrency. The handlers were written for SQLite, where one writer runs at a time: they read, decide,
then write. Here replicas and threads run transactions at once, so each transaction first takes
advisory locks (released at commit): a ``serial`` context (kitchen, gift: shared stock) takes its one
lock; the others take a shared context lock plus one lock per order touched, in order-id order (no
deadlock between batches); a command about no order in particular (housekeeping) takes the context
lock exclusively. An order placed with a ``client_ref`` locks that ref, so a retried order waits for
the first and finds it.
"""
from __future__ import annotations

import time
import zlib
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable, Iterable, Iterator

import psycopg
from psycopg_pool import ConnectionPool

from services import commands as c
from services.chain.batching import BatchWriter
from services.chain.contexts import ContextSpec
from services.chain.pg import PgSql, Row, configure
from services.chain.schema import lock_key
from services.chain.wire import event_id
from services.errors import InvalidInput
from services.infra.sql import to_json
from services.local.shop import _receipt

# The NOTIFY rides on the insert (no round trip of its own); PostgreSQL delivers one per transaction
# and channel at commit however many rows asked for it.
_APPEND = ("INSERT INTO outbox (name, order_id, at, data, hold_until, msg_id) SELECT %s, %s, %s, %s, %s, %s"
           " FROM (SELECT pg_notify(%s, '')) AS wake")
# A held row wakes nobody: it is not due before its hold is over, and the relay's poll finds it then.
_APPEND_HELD = "INSERT INTO outbox (name, order_id, at, data, hold_until, msg_id) VALUES (%s, %s, %s, %s, %s, %s)"
_HELD = "SELECT id, name, at, data FROM outbox WHERE order_id = %s AND hold_until IS NOT NULL ORDER BY id"
# How long a called command's events wait for the caller's copy before this context publishes them.
DEFAULT_HOLD_S = 30.0
_LOCK_ORDERS = ("SELECT count(pg_advisory_xact_lock(%s, id)) FROM"
                " (SELECT DISTINCT unnest(%s::int[]) AS id ORDER BY 1) AS ids")


# How long a request waits for a connection: past it the database is down or overloaded, and the caller
# gets 503 "busy" (the pool's default of 30 s would hold every request of an outage that long).
POOL_WAIT_S = 5.0


def notify_channel(context: str) -> str:
    return f"sikdang_outbox_{context}"


Pool = ConnectionPool[psycopg.Connection[Row]]   # ``configure`` makes every connection's rows ``Row``


def open_pool(dsn: str, context: str, *, min_size: int = 1, max_size: int = 8, name: str = "") -> Pool:
    """A pool whose connections see ``context``'s schema first (the repositories name bare tables).
    A connection idle for a while is checked before use, so the pool survives a PostgreSQL restart by
    itself; a request waits at most ``POOL_WAIT_S`` for one."""
    return ConnectionPool(dsn, min_size=min_size, max_size=max_size, open=True, timeout=POOL_WAIT_S,
                          name=name or f"{context}-pool", configure=configure,
                          check=_check_if_idle, reset=_mark_returned,
                          kwargs={"options": f"-c search_path={context}", "application_name": f"sikdang-{context}"})


def _mark_returned(conn) -> None:
    conn.sikdang_returned_at = time.monotonic()


def _check_if_idle(conn) -> None:
    """Check a connection idle for over a second (a round trip saved on every busy checkout: a dead
    connection is found by the first use after an outage, which is when it is idle)."""
    if time.monotonic() - getattr(conn, "sikdang_returned_at", 0.0) > 1.0:
        ConnectionPool.check_connection(conn)


class _CommandFailed(Exception):
    """A command of a batch run without savepoints failed: the batch runs again, each in its own."""


@dataclass(frozen=True)
class Called:
    """What a called command answers: its result and the events it holds for the caller to publish
    (``{"id": event id, "name", "at", "data": JSON text}``, in their order)."""
    result: Any
    events: list[dict]


class HandlerContext:
    """What a handler sees: its repository, the transaction's clock, ``emit`` and its dependencies."""

    def __init__(self, spec: ContextSpec, sql: PgSql, now: float, dependencies: dict) -> None:
        self.sql = sql
        self._channel = notify_channel(spec.name)
        self.repo = spec.repository(sql)
        self.now = now
        self.emitted = 0
        self.hold_until: float | None = None     # set while a called command runs: its events are held
        for name, value in dependencies.items():
            bind = getattr(value, "bound_to", None)
            setattr(self, name, bind(self) if bind else value)

    def emit(self, event) -> None:
        self._append(event.name, event.order_id, self.now, to_json(event.__dict__), None)
        self.emitted += 1

    def forward(self, event_id: str, name: str, order_id: int, at: float, data: str) -> None:
        """Write another context's event (its id, as that context published it) after this transaction's
        own events: the relay publishes it in this outbox's order, under its own id and subject."""
        self._append(name, order_id, at, data, event_id)

    def _append(self, name: str, order_id: int, at: float, data: str, msg_id: str | None) -> None:
        if self.hold_until is None:
            self.sql.conn.execute(_APPEND, (name, order_id, at, data, None, msg_id, self._channel))
        else:
            self.sql.conn.execute(_APPEND_HELD, (name, order_id, at, data, self.hold_until, msg_id))

    def emit_all(self, events) -> None:
        """Emit ``events`` in order; an aggregate's own pending list is emptied (as the local bus does)."""
        events = events if isinstance(events, list) else list(events)
        for event in events:
            self.emit(event)
        events.clear()


class Store:
    def __init__(self, spec: ContextSpec, pool: Pool, *, clock: Callable[[], float] = time.time,
                 dependencies: dict | None = None, batch_commands: bool = True,
                 hold_s: float = DEFAULT_HOLD_S) -> None:
        self.spec, self.pool, self.clock, self.hold_s = spec, pool, clock, hold_s
        self.dependencies = dependencies or {}
        self._context_key = lock_key(spec.name, "writes")
        self._order_space = lock_key(spec.name, "orders")
        self._writer = BatchWriter(self._run_batch, spec.name) if spec.serial and batch_commands else None

    def execute(self, command) -> Any:
        """Run ``command``'s handler in one transaction; returns its result (PlaceOrder: the receipt; a
        called command: ``Called``). Raises the handler's ShopError (nothing written), InvalidInput for a
        command of another context.
        A serial context's commands share transactions with those arriving together (``batching``)."""
        handler = self.spec.command_handlers.get(type(command))
        if handler is None:
            raise InvalidInput(f"The {self.spec.name} service does not handle {type(command).__name__}")
        if self._writer is not None:
            return self._answer(command, self._writer.submit(command).result())
        order_id = getattr(command, "order_id", None)
        with self.transaction(orders=() if order_id is None else (order_id,),
                              exclusive=order_id is None and not isinstance(command, c.PlaceOrder),
                              ref=getattr(command, "client_ref", None)) as ctx:
            result = self._handle(command, ctx)
            if isinstance(command, c.PlaceOrder):
                # _receipt reads only ``.sql`` (a PgSql standing in for SQLite's Sql); it is typed for the
                # local unit of work until the repositories take an Sql protocol.
                result = _receipt(ctx, result)  # type: ignore[arg-type]
        return self._answer(command, result)

    def _answer(self, command, result) -> Any:
        return result if self.spec.answer is None else self.spec.answer(command, result)

    def _run_batch(self, commands: list) -> list[tuple[bool, Any]]:
        """For the batch writer: ``commands`` in one exclusive transaction. First with no savepoint per
        command (they almost never fail); if one fails, that transaction is rolled back and the batch runs
        again with a savepoint each, so that only the failing command is refused (the local shop's writer
        does the same: docs/decisions/0004-optimistic-batches.md)."""
        try:
            return self._batch_transaction(commands, careful=False)
        except _CommandFailed as failed:
            if len(commands) == 1:            # its transaction is rolled back: that is its answer
                return [(False, failed.__cause__)]
            return self._batch_transaction(commands, careful=True)

    def _batch_transaction(self, commands: list, careful: bool) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = []
        with self.transaction(exclusive=True) as ctx:
            for command in commands:
                try:
                    with ctx.sql.conn.transaction() if careful else nullcontext():
                        outcomes.append((True, self._handle(command, ctx)))
                except psycopg.OperationalError:
                    raise                      # the connection is gone: the whole batch fails
                except Exception as exc:  # noqa: BLE001 - this command's own error; the others stand
                    if not careful:
                        raise _CommandFailed from exc
                    outcomes.append((False, exc))
        return outcomes

    def _handle(self, command, ctx: HandlerContext) -> Any:
        handler = self.spec.command_handlers[type(command)]
        if type(command) not in self.spec.called:
            return handler(command, ctx)
        ctx.hold_until = ctx.now + self.hold_s
        try:
            result = handler(command, ctx)
        finally:
            ctx.hold_until = None
        # Every event held for the order, not only this call's: a repeated call (the caller timed out and
        # deferred the gift, then retried) gets what the first one issued, which the handler does not repeat.
        held = ctx.sql.conn.execute(_HELD, (command.order_id,)).fetchall()
        return Called(result, [{"id": event_id(self.spec.name, id_), "name": name, "at": at, "data": data}
                               for id_, name, at, data in held])

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()

    @contextmanager
    def transaction(self, *, orders: Iterable[int] = (), exclusive: bool = False,
                    ref: str | None = None) -> Iterator[HandlerContext]:
        """One transaction holding the locks described in the module docstring; commits on leaving."""
        with self.pool.connection() as conn:
            with conn.transaction():
                sql = PgSql(conn)
                self._lock(sql, list(orders), exclusive, ref)
                ctx = HandlerContext(self.spec, sql, self.clock(), self.dependencies)
                yield ctx

    def _lock(self, sql: PgSql, orders: list[int], exclusive: bool, ref: str | None) -> None:
        """Take the transaction's locks in one statement (one round trip), the context lock first."""
        if self.spec.serial or exclusive:
            sql.conn.execute("SELECT pg_advisory_xact_lock(%s::bigint)", (self._context_key,))
            return
        parts = ["pg_advisory_xact_lock_shared(%s::bigint)"]
        params: list[int | list[int]] = [self._context_key]
        if ref:
            parts.append("pg_advisory_xact_lock(%s, %s)")
            params += [self._order_space ^ 1, zlib.crc32(ref.encode()) - 2**31]
        if orders:
            parts.append(f"({_LOCK_ORDERS})")
            params += [self._order_space, [o % 2**31 for o in orders]]
        sql.conn.execute("SELECT " + ", ".join(parts), params)

    def read(self, work: Callable[[PgSql], Any]) -> Any:
        """Run ``work`` on a connection of the pool, in a transaction of its own (for the views)."""
        with self.pool.connection() as conn:
            return work(PgSql(conn))
