"""The single writer: runs commands in batched, durable transactions (group commit).

Callers on any thread submit a command and block on a future (or on anything with the methods of
``Future`` the writer calls: the writer link answers other processes that way). The writer thread
takes every command waiting (up to ``max_batch``) into one ``BEGIN IMMEDIATE`` transaction. Each
command runs in its own savepoint *together with the events it causes* (drained through every
consumer), so the next command of the batch sees a world where the previous one's saga has run. One
commit, one fsync, acknowledges the whole batch; only then are the callers answered, so an order a
customer was told was accepted is on disk (``DurableAnswers``: the fsync overlaps the next batch).
Then ``on_committed`` is called with the names of the events committed (it must return at once: the
live feed only wakes up). Writers in other processes on the same file (a second app opened on it)
and the checkpointer take turns with it through ``WriteLock``.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import sqlite3
import threading
from pathlib import Path
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, cast
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from services.errors import OutcomeUnknown, ShopBusy, ShopClosed, ShopError
from services.infra.bus import ConsumerFailed, MessageBus
from services.infra.unit_of_work import TransactionLost, UnitOfWork
from services.infra.db import WriteLock
from services.infra.durable import Batch, DurableAnswers

log = logging.getLogger(__name__)

Finisher = Callable[[UnitOfWork, Any], Any]
_STOP = object()
BUSY = "The shop is busy and did not take this request: please try again"
CHECK_FIRST = "check before doing it again (an order sent again with the same clientRef is never taken twice)."
NO_ANSWER = "The shop took this request but has not finished it: " + CHECK_FIRST
DRAIN_ONLY = object()  # a "command" that only drains pending events (catch-up after a restart)


class Submitting:
    """``execute`` and ``execute_async`` over a ``submit`` that returns a future (the writer here, or
    the writer of another process through ``WriterLink``)."""

    def submit(self, command, finish: Finisher | None = None) -> Future:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def submit_from_loop(self, command, finish: Finisher | None = None) -> Future:
        """``submit`` from a running event loop's thread (the link sends at the end of the loop's turn)."""
        return self.submit(command, finish)

    def _withdraw(self, future: Future) -> bool:
        """Try to drop a command still queued; True if it will never run."""
        return future.cancel()

    def execute(self, command, finish: Finisher | None = None, timeout: float = 60.0) -> Any:
        future = self.submit(command, finish)
        try:
            return future.result(timeout)
        except FutureTimeout:
            if self._withdraw(future):  # still queued: it will never run, so the caller may safely retry
                raise ShopBusy(BUSY) from None
            try:
                return future.result(timeout)  # already running: its transaction ends soon, one way or the other
            except FutureTimeout:
                raise OutcomeUnknown(NO_ANSWER) from None

    async def execute_async(self, command, finish: Finisher | None = None, timeout: float = 60.0) -> Any:
        """``execute`` for an event loop: the answer is handed straight to the loop, with no thread
        parked per caller (for the HTTP server, that hand-off was most of an order's overhead)."""
        future = self.submit_from_loop(command, finish)
        loop = asyncio.get_running_loop()
        settled = loop.create_future()

        def settle() -> None:
            if not settled.done():
                settled.set_result(None)

        def relay(_: Future) -> None:
            loop.call_soon_threadsafe(settle)
        future.add_done_callback(relay)
        try:
            await asyncio.wait_for(asyncio.shield(settled), timeout)
        except TimeoutError:
            if self._withdraw(future):
                raise ShopBusy(BUSY) from None
            try:
                await asyncio.wait_for(settled, timeout)
            except TimeoutError:
                raise OutcomeUnknown(NO_ANSWER) from None
        return future.result()


class CommandWriter(Submitting):
    """The writer thread. ``max_batch``: the most commands one transaction takes; while one batch waits
    for its fsync and its answers travel back, the next is running (why 12: docs/decisions/0005)."""

    def __init__(self, engine: Engine, bus: MessageBus, clock: Callable[[], float],
                 on_committed: Callable[[set[str]], None], max_batch: int = 12,
                 write_lock: WriteLock | None = None) -> None:
        self._engine, self._bus, self._clock = engine, bus, clock
        self._write_lock = write_lock or contextlib.nullcontext()
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="shop-writer", daemon=True)
        self._batch_listeners: list[Callable[[], None]] = []
        self._durable = DurableAnswers(Path(f"{engine.url.database}-wal"), on_committed, self._batch_listeners)
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        self._thread.start()

    def add_batch_listener(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after each batch is answered (so answers bound for another process can
        leave as one message per batch). Add listeners before commands arrive."""
        self._batch_listeners.append(listener)

    def submit(self, command, finish: Finisher | None = None) -> Future:
        future: Future = Future()
        self.enqueue(command, finish, future)
        return future

    def enqueue(self, command, finish: Finisher | None, reply) -> None:
        """``submit`` with the caller's own ``reply`` (a ``Future``, or an object with the same methods)."""
        with self._lock:  # never queue behind the stop marker: that caller would never be answered
            if self._closed:
                raise ShopClosed("The shop is closed")
            self._queue.put((command, finish, reply))

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
        self._thread.join()
        self._durable.close()

    def _run(self) -> None:
        with self._engine.connect() as conn:
            raw = cast(sqlite3.Connection, conn.connection.driver_connection)
            self._durable.commits_wait_for_disk = raw.execute("PRAGMA synchronous").fetchone()[0] >= 2
            stop = False
            while not stop:
                batch = []
                item = self._queue.get()
                while item is not _STOP:
                    batch.append(item)
                    if len(batch) >= self._max_batch:
                        break
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                stop = item is _STOP
                batch = [entry for entry in batch if entry[2].set_running_or_notify_cancel()]
                if batch:
                    self._durable.publish(self._run_batch(conn, batch))

    def _run_batch(self, conn, batch) -> Batch:
        """The batch in one transaction. First optimistically, with no savepoint per command; if any
        command fails, that transaction is rolled back and the batch runs again carefully, each
        command in its own savepoint, so only the failing one is refused (docs/decisions/0004)."""
        done = Batch(committed=True)
        try:
            with self._write_lock:
                try:
                    self._attempt(conn, batch, done, careful=False)
                except _CommandFailed:
                    done = Batch(committed=True)   # the consumers' failure counts went with the rollback
                    self._attempt(conn, batch, done, careful=True)
        except Exception as exc:  # noqa: BLE001 - nothing of this batch was committed
            if not isinstance(exc, ShopError):
                log.exception("write transaction failed; %d command(s) refused", len(batch))
            error, refused = _as_shop_error(exc), Batch(committed=False)
            own_errors = {id(future): (future, ok, value) for future, ok, value in done.answers if not ok}
            refused.answers = [own_errors.get(id(future), (future, False, error)) for _, _, future in batch]
            return refused
        return done

    def _attempt(self, conn, batch, done: Batch, careful: bool) -> None:
        with _transaction(conn.connection.driver_connection):
            uow = self._bus.unit_of_work(conn, self._clock())
            self._bus.drain(uow)  # a backlog (a consumer that failed earlier) goes first
            for command, finish, future in batch:
                if command is DRAIN_ONLY:
                    done.answers.append((future, True, None))
                    continue
                try:
                    answer = self._run_one(uow, command, finish) if careful else self._work(uow, command, finish)
                except TransactionLost:
                    raise
                except Exception as exc:  # noqa: BLE001 - the caller gets its own error
                    if not careful:
                        raise _CommandFailed from exc
                    if not isinstance(exc, ShopError):
                        log.exception("command %s failed", type(command).__name__)
                    done.answers.append((future, False, exc))
                    continue
                done.answers.append((future, True, answer))
            self._bus.drain(uow)  # the read models, once for the whole batch
            uow.save_positions()
        done.event_names = {record.event.name for record in uow.outbox.appended}

    def _work(self, uow: UnitOfWork, command, finish: Finisher | None, careful: bool = False) -> Any:
        """The command and the saga it starts (its events drained through every consumer but the read
        models). Not careful, a failing consumer raises ``ConsumerFailed``."""
        result = self._bus.handle(uow, command)
        self._bus.drain(uow, careful=careful, projections=False)
        return finish(uow, result) if finish else result

    def _run_one(self, uow: UnitOfWork, command, finish: Finisher | None) -> Any:
        """The command and its saga in one savepoint: all of it, or none of it."""
        try:
            return uow.isolated(lambda: self._work(uow, command, finish))
        except ConsumerFailed:
            # Rare: some consumer failed. Run it again with every consumer in its own savepoint, so the
            # failing one is logged and left behind while the command and the other consumers go ahead.
            return uow.isolated(lambda: self._work(uow, command, finish, careful=True))


class _CommandFailed(Exception):
    """A command failed in an optimistic batch: roll it back and run the batch carefully."""


@contextlib.contextmanager
def _transaction(raw: sqlite3.Connection):
    """BEGIN IMMEDIATE ... COMMIT straight on the driver's connection, as the statements inside run
    (docs/decisions/0003). Nothing in a batch may execute through SQLAlchemy, so its connection never
    starts a transaction of its own."""
    if raw.in_transaction:   # a ROLLBACK that failed last time: start afresh
        raw.execute("ROLLBACK")
    raw.execute("BEGIN IMMEDIATE")
    try:
        yield
        if not raw.in_transaction:
            raise TransactionLost("the database undid the whole transaction")
        raw.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:   # a failed COMMIT included: the next batch must start afresh
            raw.execute("ROLLBACK")
        raise


def _as_shop_error(exc: Exception) -> Exception:
    if isinstance(exc, (OperationalError, sqlite3.OperationalError)) and "locked" in str(exc):
        return ShopBusy("The shop database is busy (another program holds it): please try again")
    return exc
