"""Group commit for a ``serial`` context (kitchen, gift): commands that arrive together run one after
another in ONE transaction, each in a savepoint, and are answered after its single commit.

Why: a serial context's transactions hold the context's lock through their commit, so they cannot
overlap and PostgreSQL cannot group their fsyncs: one command per commit caps the context at about one
command per fsync (~250/s on this machine's busy disk). Batching gives each commit many commands.
No batch waits for company: the writer takes what is queued when it starts a transaction (at least
one, at most ``MAX_BATCH``), so a lone command goes through at once.

A command that raises is rolled back to its savepoint and gets its error; the others stand. If the
commit itself fails, every command of the batch gets that error (none of them was done).
"""
from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from typing import Any
from collections.abc import Callable

log = logging.getLogger(__name__)

MAX_BATCH = 64
_STOP = object()


class BatchWriter:
    def __init__(self, run_batch: Callable[[list], list[tuple[bool, Any]]], name: str) -> None:
        """``run_batch(commands)`` runs them in one transaction and returns ``(ok, result or error)`` each."""
        self._run_batch = run_batch
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name=f"{name}-writer", daemon=True)
        self._thread.start()

    def submit(self, command) -> Future:
        future: Future = Future()
        self._queue.put((command, future))
        return future

    def close(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._queue.put(_STOP)
                    break
                batch.append(item)
            self._write(batch)

    def _write(self, batch: list) -> None:
        try:
            outcomes = self._run_batch([command for command, _ in batch])
        except BaseException as exc:  # noqa: BLE001 - the commit failed: none of the batch was done
            for _, future in batch:
                future.set_exception(exc)
            return
        for (_, future), (ok, value) in zip(batch, outcomes):
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
