"""The unit of work: one write transaction as the bus sees it.

It holds the transaction's clock, its outbox, the consumers' positions and failure counts, and one
``HandlerContext`` per bounded context. ``AbstractUnitOfWork`` is what the bus relies on; the
SQLite ``UnitOfWork`` is the shop's, and the unit tests' fake keeps the same contract in memory.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection

from services.events import Event
from services.infra.contexts import BoundedContext, HandlerContext
from services.infra.outbox import Outbox, Record, load_positions, save_positions
from services.infra.sql import Sql

T = TypeVar("T")

_PARK = ("INSERT OR REPLACE INTO dead_letters (consumer, position, event, order_id, error, at)"
         " VALUES (?, ?, ?, ?, ?, ?)")
_COUNT_FAILURE = ("INSERT INTO consumer_failures (consumer, position, attempts) VALUES (?, ?, 1)"
                  " ON CONFLICT (consumer, position) DO UPDATE SET attempts = attempts + 1 RETURNING attempts")
_FORGET_FAILURES = "DELETE FROM consumer_failures WHERE consumer = ? AND position <= ?"


class TransactionLost(Exception):
    """SQLite rolled the whole transaction back on its own (disk full, I/O error, out of memory): none of
    it stands, and no statement may run before the next BEGIN (outside a transaction a savepoint would
    start and commit one of its own). Never handled per command or per consumer: the batch is refused."""


class EventLog(Protocol):
    """The outbox as one transaction sees it (``services.infra.outbox.Outbox``)."""
    committed_max: int
    appended: list[Record]

    def append(self, event: Event) -> int: ...
    def mark(self) -> int: ...
    def rollback_to(self, mark: int) -> None: ...
    def after(self, position: int, limit: int = 500) -> list[Record]: ...


class AbstractUnitOfWork(ABC):
    """One transaction. ``sql`` is what the repositories are built on; ``positions`` the last event
    each consumer has handled. The failed attempts per (consumer, position) are only in their table,
    written in the transaction: a rollback takes them with it as it takes every other write."""
    now: float
    sql: Any
    outbox: EventLog
    positions: dict[str, int]

    def __init__(self, contexts: dict[str, BoundedContext[Any]]) -> None:
        self._contexts = contexts
        self._handler_contexts: dict[str, HandlerContext[Any]] = {}

    def context(self, name: str) -> HandlerContext[Any]:
        """The handlers' context of the context called ``name``. Its repository is typed where the
        context is built (``BoundedContext[OrderingRepo]`` ...); looked up by name it can only be Any."""
        if name not in self._handler_contexts:
            self._handler_contexts[name] = HandlerContext(self, self._contexts[name])
        return self._handler_contexts[name]

    @abstractmethod
    def isolated(self, work: Callable[[], T]) -> T:
        """Run ``work``; on error undo its writes, events, positions and counts, and raise the error."""

    @abstractmethod
    def save_positions(self) -> None:
        """Write the consumers' positions that moved (once per transaction, just before commit)."""

    @abstractmethod
    def count_failure(self, consumer: str, position: int) -> int:
        """One more failed attempt of ``consumer`` on the event at ``position``; returns how many so far."""

    @abstractmethod
    def forget_failures(self, consumer: str, up_to: int) -> None:
        """``consumer`` is past ``up_to``: its failures there no longer count (called on every advance:
        cheap when there are none)."""

    @abstractmethod
    def park(self, consumer: str, record: Record, error: str) -> None:
        """Keep ``record`` as a dead letter of ``consumer`` (it failed too often) and forget its count."""


class UnitOfWork(AbstractUnitOfWork):
    """One SQLite write transaction, on the writer's connection (already begun)."""

    def __init__(self, conn: Connection, now: float, contexts: dict[str, BoundedContext[Any]]) -> None:
        super().__init__(contexts)
        self.conn, self.now = conn, now
        self.sql = Sql(conn)
        self.outbox = Outbox(self.sql, now)
        self.positions = load_positions(self.sql)
        self._saved_positions = dict(self.positions)

    def isolated(self, work: Callable[[], T]) -> T:
        # The positions are kept in memory until save_positions (one write per transaction, not one per
        # consumer per pass), so they are put back by hand; the outbox keeps the events it appended.
        mark, positions = self.outbox.mark(), dict(self.positions)
        # Straight to SQLite and always the same name (docs/decisions/0003): SQLite matches the innermost
        # savepoint of that name, so nesting works.
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
        moved = {c: p for c, p in self.positions.items() if self._saved_positions.get(c) != p}
        save_positions(self.sql, moved)
        self._saved_positions = dict(self.positions)

    def count_failure(self, consumer: str, position: int) -> int:
        return int(self.sql.scalar(_COUNT_FAILURE, (consumer, position)))

    def forget_failures(self, consumer: str, up_to: int) -> None:
        # A lookup on the primary key that finds nothing (the usual case) takes a few microseconds.
        self.sql.run(_FORGET_FAILURES, (consumer, up_to))

    def park(self, consumer: str, record: Record, error: str) -> None:
        self.sql.run(_PARK, (consumer, record.position, record.event.name, record.event.order_id, error, self.now))
        self.forget_failures(consumer, record.position)
