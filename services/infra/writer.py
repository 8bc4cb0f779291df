"""The single writer: runs commands in batched, durable transactions (group commit).

Callers on any thread submit a command and block on a future. The writer thread takes every command
waiting (up to ``max_batch``), runs each in its own savepoint inside one ``BEGIN IMMEDIATE``
transaction, drains the resulting events through every consumer, and commits once: one fsync
acknowledges the whole batch. Only after the commit returns are the callers answered, so an order a
customer was told was accepted is on disk. Then the committed events go to ``on_committed``.
"""
from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from typing import Any, Callable

from sqlalchemy import Engine

from services.errors import ShopError
from services.infra.bus import MessageBus, UnitOfWork
from services.infra.outbox import Record

log = logging.getLogger(__name__)

Finisher = Callable[[UnitOfWork, Any], Any]
_STOP = object()
DRAIN_ONLY = None  # a "command" that only drains pending events (catch-up after a restart)


class CommandWriter:
    def __init__(self, engine: Engine, bus: MessageBus, clock: Callable[[], float],
                 on_committed: Callable[[list[Record]], None], max_batch: int = 256) -> None:
        self._engine, self._bus, self._clock = engine, bus, clock
        self._on_committed, self._max_batch = on_committed, max_batch
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="shop-writer", daemon=True)
        self._closed = False

    def start(self) -> None:
        self._thread.start()

    def submit(self, command, finish: Finisher | None = None) -> Future:
        if self._closed:
            raise RuntimeError("the shop is closed")
        future: Future = Future()
        self._queue.put((command, finish, future))
        return future

    def execute(self, command, finish: Finisher | None = None, timeout: float = 60.0) -> Any:
        return self.submit(command, finish).result(timeout)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
            self._thread.join(timeout=30)

    def _run(self) -> None:
        with self._engine.connect() as conn:
            while True:
                item = self._queue.get()
                if item is _STOP:
                    return
                batch = [item]
                stop = False
                while len(batch) < self._max_batch:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is _STOP:
                        stop = True
                        break
                    batch.append(item)
                self._run_batch(conn, batch)
                if stop:
                    return

    def _run_batch(self, conn, batch) -> None:
        answers: list[tuple[Future, Any]] = []
        try:
            with conn.begin():
                uow = self._bus.unit_of_work(conn, self._clock())
                done = []
                for command, finish, future in batch:
                    if command is DRAIN_ONLY:
                        done.append((future, None, None))
                        continue
                    try:
                        if len(batch) == 1:  # no savepoint needed: a failure rolls back the transaction
                            result = self._bus.handle(uow, command)
                        else:
                            result = uow.isolated(lambda c=command: self._bus.handle(uow, c))
                    except Exception as exc:  # noqa: BLE001 - the caller gets its own error
                        if len(batch) == 1:
                            raise
                        future.set_exception(exc)
                        continue
                    done.append((future, finish, result))
                self._bus.drain(uow)
                answers = [(future, finish(uow, result) if finish else result) for future, finish, result in done]
        except Exception as exc:  # noqa: BLE001 - nothing of this batch was committed
            if len(batch) > 1 or not isinstance(exc, ShopError):
                log.exception("write transaction failed; %d command(s) refused", len(batch))
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for future, answer in answers:
            future.set_result(answer)
        if uow.outbox.appended:
            try:
                self._on_committed(uow.outbox.appended)
            except Exception:  # noqa: BLE001 - a broken subscriber never breaks the shop
                log.exception("live-feed publication failed")
