"""The message bus: commands go to one handler and raise to the caller; events go to every interested
consumer, which are isolated from each other by savepoints (a failing consumer is logged and retried
later, the others carry on). Everything happens inside the caller's unit of work (one transaction).

The parts live beside it: ``contexts`` (``BoundedContext``, ``HandlerContext``) and ``unit_of_work``
(``UnitOfWork``, ``TransactionLost``); their names are importable from here as before.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection

from services.infra.contexts import BoundedContext, HandlerContext
from services.infra.outbox import Record
from services.infra.unit_of_work import AbstractUnitOfWork, TransactionLost, UnitOfWork

__all__ = ["MAX_ATTEMPTS", "AbstractUnitOfWork", "BoundedContext", "ConsumerFailed", "HandlerContext",
           "MessageBus", "TransactionLost", "UnitOfWork"]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5   # failed attempts of one consumer on one event before it is parked as a dead letter


class ConsumerFailed(Exception):
    """A consumer failed on the fast path; the command is to be rolled back and run again carefully."""


class MessageBus:
    def __init__(self, contexts: list[BoundedContext[Any]]) -> None:
        self.contexts = {context.name: context for context in contexts}
        self._command_routes = {command: (context.name, handler) for context in contexts
                                for command, handler in context.command_handlers.items()}
        self._consumers = [context for context in contexts if context.consumes]

    def unit_of_work(self, conn: Connection, now: float) -> UnitOfWork:
        return UnitOfWork(conn, now, self.contexts)

    def handle(self, uow: AbstractUnitOfWork, command: Any) -> Any:
        try:
            context_name, handler = self._command_routes[type(command)]
        except KeyError:
            raise TypeError(f"no handler for {type(command).__name__}") from None
        return handler(command, uow.context(context_name))

    def deliver(self, uow: AbstractUnitOfWork, consumer: str, records: list[Record]) -> None:
        """Hand ``records`` to one consumer, skipping those it has already handled (redelivery)."""
        context = self.contexts[consumer]
        fresh = [r for r in records if r.position > uow.positions.get(consumer, 0)]
        wanted = [r for r in fresh if context.wants(r)]
        if wanted:
            self._run(uow, context, wanted)
        if fresh:
            self._advance(uow, consumer, fresh[-1].position)
            uow.save_positions()

    def drain(self, uow: AbstractUnitOfWork, *, careful: bool = True, projections: bool = True) -> None:
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
                self._advance(uow, context.name, pending[-1].position if handled_up_to is None else handled_up_to)
            if not backlog and len(outbox.appended) == emitted_before:
                return   # every consumer has seen every event, and none was emitted meanwhile

    @staticmethod
    def _advance(uow: AbstractUnitOfWork, consumer: str, position: int) -> None:
        uow.positions[consumer] = position
        uow.forget_failures(consumer, position)   # what it is now past no longer counts

    def _run(self, uow: AbstractUnitOfWork, context: BoundedContext[Any], records: list[Record]) -> int | None:
        """Handle ``records``; on failure return the position before the first event that failed.

        Each failure is counted in the transaction (``uow.count_failure``); an event a consumer has
        failed on ``MAX_ATTEMPTS`` times is parked as a dead letter (logged, kept in its table) and
        skipped, so one poison event cannot stop the consumer for every later order.
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
                uow.isolated(lambda: self._call(uow, context, [record]))  # noqa: B023 - called at once
            except TransactionLost:
                raise
            except Exception as exc:  # noqa: BLE001
                attempts = uow.count_failure(context.name, record.position)
                if attempts < MAX_ATTEMPTS:
                    log.exception("consumer %s failed on %s #%s (order %s), attempt %d; it will be retried",
                                  context.name, record.event.name, record.position, record.event.order_id, attempts)
                    return record.position - 1 if handled_up_to is None else handled_up_to
                log.error("consumer %s parked %s #%s (order %s) after %d attempts: %s", context.name,
                          record.event.name, record.position, record.event.order_id, attempts, exc)
                uow.park(context.name, record, f"{type(exc).__name__}: {exc}")
            handled_up_to = record.position
        return None

    @staticmethod
    def _call(uow: AbstractUnitOfWork, context: BoundedContext[Any], records: list[Record]) -> None:
        ctx = uow.context(context.name)
        if context.batch_handler is not None:
            context.batch_handler(records, ctx)
            return
        for record in records:
            context.event_handlers[type(record.event)](record.event, ctx)
