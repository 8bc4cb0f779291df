"""The message bus: commands go to one handler and raise to the caller; events go to every interested
consumer, which are isolated from each other by savepoints (a failing consumer is logged and retried
later, the others carry on). Everything happens inside the caller's write transaction.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

from sqlalchemy import Connection

from services.infra.outbox import Outbox, Record, load_positions, save_positions
from services.infra.sql import Sql

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
_PARK = ("INSERT OR REPLACE INTO dead_letters (consumer, position, event, order_id, error, at)"
         " VALUES (?, ?, ?, ?, ?, ?)")


class TransactionLost(Exception):
    """SQLite rolled the whole transaction back on its own (disk full, I/O error, out of memory): none of
    it stands, and no statement may run before the next BEGIN (outside a transaction a savepoint would
    start and commit one of its own). Never handled per command or per consumer: the batch is refused."""


class ConsumerFailed(Exception):
    """A consumer failed on the fast path; the command is to be rolled back and run again carefully."""


@dataclass(frozen=True)
class BoundedContext:
    """How the bus reaches one context: its repository, its handlers and what else its handlers need."""
    name: str
    repository: Callable[[Sql], Any]
    command_handlers: dict[type, Callable] = field(default_factory=dict)
    event_handlers: dict[type, Callable] = field(default_factory=dict)
    batch_handler: Callable | None = None       # receives [(position, at, event)] for every order event
    dependencies: Callable[["UnitOfWork"], dict] | None = None

    @cached_property
    def consumes(self) -> bool:
        return bool(self.event_handlers) or self.batch_handler is not None

    @cached_property
    def projection(self) -> bool:
        """A read model: emits nothing and no command reads it."""
        return self.batch_handler is not None

    def wants(self, record: Record) -> bool:
        if self.batch_handler is not None:
            return record.event.order_id != 0
        return type(record.event) in self.event_handlers


class HandlerContext:
    """What a handler sees: its own repository, the transaction's clock, and ``emit``."""

    def __init__(self, uow: "UnitOfWork", context: BoundedContext) -> None:
        self.repo = context.repository(uow.sql)
        self.now = uow.now
        self.emit = uow.outbox.append
        for name, value in (context.dependencies(uow) if context.dependencies else {}).items():
            setattr(self, name, value)

    def emit_all(self, events) -> None:
        for event in events:
            self.emit(event)
        events.clear()


class UnitOfWork:
    """One write transaction: the connection, its outbox, the consumers' positions, handler contexts."""

    def __init__(self, conn: Connection, now: float, contexts: dict[str, BoundedContext]) -> None:
        self.conn, self.now, self._contexts = conn, now, contexts
        self.sql = Sql(conn)
        self.outbox = Outbox(self.sql, now)
        self.positions = load_positions(self.sql)
        self._saved_positions = dict(self.positions)
        self._handler_contexts: dict[str, HandlerContext] = {}

    def context(self, name: str) -> HandlerContext:
        if name not in self._handler_contexts:
            self._handler_contexts[name] = HandlerContext(self, self._contexts[name])
        return self._handler_contexts[name]

    def isolated(self, work: Callable[[], Any]) -> Any:
        """Run ``work`` in a savepoint: on error its writes and events are undone, and the error raised."""
        mark, positions = self.outbox.mark(), dict(self.positions)
        # Straight to SQLite (SQLAlchemy's begin_nested cost 150 us here), and always the same name: SQLite
        # matches the innermost savepoint of that name, so nesting works, and three fixed statements stay
        # in the statement cache (a name per savepoint was compiled afresh each time).
        self.sql.run("SAVEPOINT isolated")
        try:
            result = work()
        except BaseException as exc:
            self.outbox.rollback_to(mark)
            self.positions = positions
            if not self.sql.in_transaction:
                if isinstance(exc, TransactionLost):
                    raise
                raise TransactionLost(f"the database undid the whole transaction ({exc})") from exc
            self.sql.run("ROLLBACK TO isolated")
            self.sql.run("RELEASE isolated")
            raise
        self.sql.run("RELEASE isolated")
        return result


    def save_positions(self) -> None:
        """Write the consumers' positions that moved (once per transaction, just before commit)."""
        moved = {c: p for c, p in self.positions.items() if self._saved_positions.get(c) != p}
        save_positions(self.sql, moved)
        self._saved_positions = dict(self.positions)


class MessageBus:
    def __init__(self, contexts: list[BoundedContext]) -> None:
        self.contexts = {context.name: context for context in contexts}
        self._command_routes = {command: (context.name, handler) for context in contexts
                                for command, handler in context.command_handlers.items()}
        self._consumers = [context for context in contexts if context.consumes]
        self._failures: dict[tuple[str, int], int] = {}  # (consumer, position) -> failed attempts

    def unit_of_work(self, conn: Connection, now: float) -> UnitOfWork:
        return UnitOfWork(conn, now, self.contexts)

    def failure_counts(self) -> dict[tuple[str, int], int]:
        return dict(self._failures)

    def restore_failure_counts(self, counts: dict[tuple[str, int], int]) -> None:
        """After a transaction was rolled back: forget the failures counted (and parked) inside it."""
        self._failures = dict(counts)

    def handle(self, uow: UnitOfWork, command) -> Any:
        try:
            context_name, handler = self._command_routes[type(command)]
        except KeyError:
            raise TypeError(f"no handler for {type(command).__name__}") from None
        return handler(command, uow.context(context_name))

    def deliver(self, uow: UnitOfWork, consumer: str, records: list[Record]) -> None:
        """Hand ``records`` to one consumer, skipping those it has already handled (redelivery)."""
        context = self.contexts[consumer]
        fresh = [r for r in records if r.position > uow.positions.get(consumer, 0)]
        wanted = [r for r in fresh if context.wants(r)]
        if wanted:
            self._run(uow, context, wanted)
        if fresh:
            uow.positions[consumer] = fresh[-1].position
            uow.save_positions()

    def drain(self, uow: UnitOfWork, *, careful: bool = True, projections: bool = True) -> None:
        """Deliver every pending event to every consumer until nothing new is emitted.

        ``careful``: each consumer in its own savepoint, a failing one logged and left behind (retried by a
        later transaction) while the others carry on. Not careful (the fast path, for a command's own
        events): no savepoints, and a failing consumer raises ``ConsumerFailed`` so the caller can roll the
        command back and run it again carefully. ``projections=False`` leaves read models (mypage) for a
        later drain: nothing downstream depends on them, so one pass per batch serves them all.
        """
        failed: set[str] = set()
        outbox = uow.outbox
        while True:
            emitted_before, backlog = len(outbox.appended), False
            for context in self._consumers:
                if context.name in failed or (context.projection and not projections):
                    continue
                position = uow.positions.get(context.name, 0)
                backlog = backlog or position < outbox.committed_max   # read a page at a time from the table
                pending = outbox.after(position)
                if not pending:
                    continue
                if context.batch_handler is None:
                    handlers = context.event_handlers
                    wanted = [r for r in pending if type(r.event) in handlers]
                else:
                    wanted = [r for r in pending if context.wants(r)]
                handled_up_to = None
                if wanted and careful:
                    handled_up_to = self._run(uow, context, wanted)
                elif wanted:
                    try:
                        self._call(uow, context, wanted)
                    except TransactionLost:
                        raise
                    except Exception as exc:  # noqa: BLE001 - the caller retries carefully
                        raise ConsumerFailed(context.name) from exc
                if handled_up_to is not None:
                    failed.add(context.name)
                uow.positions[context.name] = pending[-1].position if handled_up_to is None else handled_up_to
            if not backlog and len(outbox.appended) == emitted_before:
                return   # every consumer has seen every event, and none was emitted meanwhile

    def _run(self, uow: UnitOfWork, context: BoundedContext, records: list[Record]) -> int | None:
        """Handle ``records``; on failure return the position before the first event that failed.

        An event a consumer has failed on ``MAX_ATTEMPTS`` times is parked as a dead letter (logged, kept
        in its table) and skipped, so one poison event cannot stop the consumer for every later order.
        """
        try:
            uow.isolated(lambda: self._call(uow, context, records))
            return None
        except TransactionLost:
            raise
        except Exception:  # noqa: BLE001 - find the poison event, keep what came before it
            pass
        handled_up_to = None
        for record in records:
            try:
                uow.isolated(lambda: self._call(uow, context, [record]))
            except TransactionLost:
                raise
            except Exception as exc:  # noqa: BLE001
                key = (context.name, record.position)
                self._failures[key] = attempts = self._failures.get(key, 0) + 1
                if attempts < MAX_ATTEMPTS:
                    log.exception("consumer %s failed on %s #%s (order %s), attempt %d; it will be retried",
                                  context.name, record.event.name, record.position, record.event.order_id, attempts)
                    return record.position - 1 if handled_up_to is None else handled_up_to
                log.error("consumer %s parked %s #%s (order %s) after %d attempts: %s", context.name,
                          record.event.name, record.position, record.event.order_id, attempts, exc)
                uow.sql.run(_PARK, (context.name, record.position, record.event.name, record.event.order_id,
                                    f"{type(exc).__name__}: {exc}", uow.now))
                del self._failures[key]
            handled_up_to = record.position
        return None

    @staticmethod
    def _call(uow: UnitOfWork, context: BoundedContext, records: list[Record]) -> None:
        ctx = uow.context(context.name)
        if context.batch_handler is not None:
            context.batch_handler(records, ctx)
            return
        for record in records:
            context.event_handlers[type(record.event)](record.event, ctx)
