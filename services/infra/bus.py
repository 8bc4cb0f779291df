"""The message bus: commands go to one handler and raise to the caller; events go to every interested
consumer, which are isolated from each other by savepoints (a failing consumer is logged and retried
later, the others carry on). Everything happens inside the caller's write transaction.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import Connection

from services.infra.outbox import Outbox, Record, load_positions, save_positions
from services.infra.sql import Sql

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BoundedContext:
    """How the bus reaches one context: its repository, its handlers and what else its handlers need."""
    name: str
    repository: Callable[[Sql], Any]
    command_handlers: dict[type, Callable] = field(default_factory=dict)
    event_handlers: dict[type, Callable] = field(default_factory=dict)
    batch_handler: Callable | None = None       # receives [(position, at, event)] for every order event
    dependencies: Callable[["UnitOfWork"], dict] | None = None

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
        self._savepoints = 0
        self._handler_contexts: dict[str, HandlerContext] = {}

    def context(self, name: str) -> HandlerContext:
        if name not in self._handler_contexts:
            self._handler_contexts[name] = HandlerContext(self, self._contexts[name])
        return self._handler_contexts[name]

    def isolated(self, work: Callable[[], Any]) -> Any:
        """Run ``work`` in a savepoint: on error its writes and events are undone, and the error raised."""
        mark = self.outbox.mark()
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        self.sql.run(f"SAVEPOINT {name}")  # straight to SQLite: SQLAlchemy's begin_nested costs 150 us here
        try:
            result = work()
        except BaseException:
            self.sql.run(f"ROLLBACK TO {name}")
            self.sql.run(f"RELEASE {name}")
            self.outbox.rollback_to(mark)
            raise
        self.sql.run(f"RELEASE {name}")
        return result


class MessageBus:
    def __init__(self, contexts: list[BoundedContext]) -> None:
        self.contexts = {context.name: context for context in contexts}
        self._command_routes = {command: (context.name, handler) for context in contexts
                                for command, handler in context.command_handlers.items()}

    def unit_of_work(self, conn: Connection, now: float) -> UnitOfWork:
        return UnitOfWork(conn, now, self.contexts)

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
            save_positions(uow.sql, {consumer: fresh[-1].position})

    def drain(self, uow: UnitOfWork) -> None:
        """Deliver every pending event to every consumer until nothing new is emitted."""
        changed: dict[str, int] = {}
        failed: set[str] = set()
        progressed = True
        while progressed:
            progressed = False
            for context in self.contexts.values():
                if context.name in failed or not (context.event_handlers or context.batch_handler):
                    continue
                pending = uow.outbox.after(uow.positions.get(context.name, 0))
                if not pending:
                    continue
                progressed = True
                wanted = [r for r in pending if context.wants(r)]
                handled_up_to = self._run(uow, context, wanted) if wanted else None
                if handled_up_to is not None:
                    failed.add(context.name)
                position = pending[-1].position if handled_up_to is None else handled_up_to
                uow.positions[context.name] = changed[context.name] = position
        save_positions(uow.sql, changed)

    def _run(self, uow: UnitOfWork, context: BoundedContext, records: list[Record]) -> int | None:
        """Handle ``records``; on failure return the position before the first event that failed."""
        try:
            uow.isolated(lambda: self._call(uow, context, records))
            return None
        except Exception:  # noqa: BLE001 - find the poison event, keep what came before it
            for index, record in enumerate(records):
                try:
                    uow.isolated(lambda: self._call(uow, context, [record]))
                except Exception:  # noqa: BLE001
                    log.exception("consumer %s failed on %s #%s (order %s); it will be retried", context.name,
                                  record.event.name, record.position, record.event.order_id)
                    return record.position - 1 if index == 0 else records[index - 1].position
            return None

    @staticmethod
    def _call(uow: UnitOfWork, context: BoundedContext, records: list[Record]) -> None:
        ctx = uow.context(context.name)
        if context.batch_handler is not None:
            context.batch_handler(records, ctx)
            return
        for record in records:
            context.event_handlers[type(record.event)](record.event, ctx)
