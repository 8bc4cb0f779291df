"""Answers a committed batch only once it is on disk, while the writer already runs the next batch.

The writer's connection commits with ``synchronous=NORMAL``: a commit writes its pages to the WAL
and returns without waiting for the disk. ``DurableAnswers`` then fsyncs the WAL, once for every
batch committed meanwhile, on a thread of its own, and only then answers those batches' callers,
publishes their events and calls the batch listeners: the disk's wait overlaps the next batch's work
(why: docs/decisions/0006).

What a caller is told stays as durable as with ``synchronous=FULL``: a caller hears of a commit only
after an fsync that began after that commit returned. A power cut can lose a commit no caller heard
of, never one before it without it: WAL frames are checksummed in a chain, so recovery keeps a
commit only with every commit before it. (SQLite still syncs the WAL before each checkpoint and its
header when the WAL starts over, as it does in NORMAL mode.)

One thing is weaker than with FULL: other connections (screens, the gateway workers' reads and
event streams) can read a commit a millisecond or two before it is on disk. After a power cut in
that window a screen may have shown a ticket the shop no longer has, and the lost events' positions
are given to new events. No customer was told such an order was accepted.

After the disk reports an error, nothing later is reported as done: the kernel may have dropped the
failed pages while a later fsync succeeds, and recovery stops at the first missing commit. Every
later commit is answered "outcome unknown" until the shop is opened again.
"""
from __future__ import annotations

import logging
import os
import queue
import threading
from pathlib import Path
from typing import Any
from collections.abc import Callable

from services.errors import OutcomeUnknown

log = logging.getLogger(__name__)

_STOP = object()
_sync = getattr(os, "fdatasync", os.fsync)   # fdatasync where there is one: the data and the WAL's size
NOT_ON_DISK = ("The shop committed this but could not make sure it is on disk (the disk reported an error): "
               "check before doing it again.")


class Batch:
    """One write transaction's outcome: every caller's answer, and the names of the events committed."""
    __slots__ = ("answers", "event_names", "committed")

    def __init__(self, committed: bool) -> None:
        self.answers: list[tuple[Any, bool, Any]] = []   # (future, ok, result or error)
        self.event_names: set[str] = set()
        self.committed = committed


class DurableAnswers:
    def __init__(self, wal_path: Path, on_committed: Callable[[set[str]], None],
                 listeners: list[Callable[[], None]]) -> None:
        self._wal_path = wal_path
        self._on_committed, self._listeners = on_committed, listeners
        self._wal_fd: int | None = None   # one descriptor for good: a write error is reported to it
        self.commits_wait_for_disk = False   # set by the writer: a FULL commit (no WAL) needs no sync here
        self._disk_error: Exception | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="shop-durable-answers", daemon=True)
        self._thread.start()

    def publish(self, batch: Batch) -> None:
        self._queue.put(batch)

    def close(self) -> None:
        """Answer everything published so far, then stop."""
        self._queue.put(_STOP)
        self._thread.join()
        if self._wal_fd is not None:
            os.close(self._wal_fd)   # before the last connection closes: SQLite may then delete the WAL
            self._wal_fd = None

    def _run(self) -> None:
        stop = False
        while not stop:
            batches = [self._queue.get()]
            while True:   # everything committed meanwhile shares the one fsync
                try:
                    batches.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = _STOP in batches
            batches = [batch for batch in batches if batch is not _STOP]
            if any(batch.committed for batch in batches):
                self._sync()
            for batch in batches:
                self._answer(batch, self._disk_error if batch.committed else None)

    def _sync(self) -> None:
        if self._disk_error is not None or self.commits_wait_for_disk:
            return
        try:
            if self._wal_fd is None:
                self._wal_fd = os.open(self._wal_path, os.O_RDWR)   # the file SQLite writes
            _sync(self._wal_fd)
        except OSError as exc:
            log.critical("the WAL could not be synced to disk (%s): no commit is reported as done from now "
                         "on; check the disk and restart the shop", exc)
            self._disk_error = OutcomeUnknown(NOT_ON_DISK)

    def _answer(self, batch: Batch, error: Exception | None) -> None:
        """Never raises: this thread dying would leave every later caller without an answer."""
        for future, ok, value in batch.answers:
            try:
                if error is not None and ok:
                    future.set_exception(error)
                elif ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
            except Exception:  # noqa: BLE001 - e.g. a caller's callback that failed
                log.exception("a caller could not be answered")
        if batch.event_names:
            _safely(self._on_committed, batch.event_names)
        for listener in self._listeners:
            _safely(listener)


def _safely(call: Callable, *args) -> None:
    try:
        call(*args)
    except Exception:  # noqa: BLE001 - logged; the answering thread must go on
        log.exception("after a batch, %r failed", call)
