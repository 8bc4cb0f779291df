"""Port calls off the GUI thread, with results back on it (in the spirit of Anki's operations).

    runner.run(lambda: shop.cancel_order(7, "late"), success=on_done, failure=show_error)

``fn`` runs on a worker thread and must not touch widgets. ``success(result)`` or
``failure(exception)`` then runs on the GUI thread. Calls run one at a time, in submission order,
so a refetch submitted after a command sees that command's effect.
"""
from __future__ import annotations

import logging
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Outcome(QObject):
    """Created on the GUI thread: the worker emits ``done``, and because the receiving slot belongs
    to this GUI-thread object, Qt queues the call back to the GUI thread."""
    done = Signal(object, object)   # (result, exception or None)

    def __init__(self, deliver: Callable[[Any, Exception | None], None], parent: QObject) -> None:
        super().__init__(parent)
        self._deliver = deliver
        self.done.connect(self._on_done)

    @Slot(object, object)
    def _on_done(self, result: Any, error: Exception | None) -> None:
        self._deliver(result, error)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], outcome: _Outcome) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._outcome = outcome

    def run(self) -> None:
        try:
            result, error = self._fn(), None
        except Exception as exc:   # handed to the failure callback on the GUI thread
            result, error = None, exc
        self._outcome.done.emit(result, error)


class PortRunner(QObject):
    """Runs port calls on one worker thread. ``busy`` counts calls not yet answered (tests wait on it)."""

    finished = Signal()   # after each success/failure callback

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)   # serial: commands and refetches stay in order
        self._in_flight: set[_Outcome] = set()

    @property
    def busy(self) -> int:
        return len(self._in_flight)

    def run(self, fn: Callable[[], Any], success: Callable[[Any], None] | None = None,
            failure: Callable[[Exception], None] | None = None) -> None:
        def deliver(result: Any, error: Exception | None) -> None:
            self._in_flight.discard(outcome)
            outcome.deleteLater()
            try:
                if error is None:
                    if success is not None:
                        success(result)
                elif failure is not None:
                    failure(error)
                else:
                    log.error("port call failed with no failure handler: %s", error, exc_info=error)
            finally:
                self.finished.emit()

        outcome = _Outcome(deliver, self)
        self._in_flight.add(outcome)
        self._pool.start(_Job(fn, outcome))

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Block until the worker is idle (shutdown and benchmarks; callbacks still need the event loop)."""
        return self._pool.waitForDone(msecs)


MAX_STALE_SKIPS = 3


class Refetcher(QObject):
    """Keeps one view fresh: ``request()`` fetches in the background and hands the result to
    ``apply`` on the GUI thread. Requests made while a fetch is running collapse into one more
    fetch afterwards, so a burst of events never queues a pile of identical queries."""

    def __init__(self, runner: PortRunner, fetch: Callable[[], Any], apply: Callable[[Any], None],
                 failure: Callable[[Exception], None] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent or runner)
        self._runner, self._fetch, self._apply, self._failure = runner, fetch, apply, failure
        self._running = False
        self._again = False
        self._stale_skipped = 0

    @property
    def idle(self) -> bool:
        return not self._running

    def request(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        self._runner.run(self._fetch, self._done, self._failed)

    def _done(self, result: Any) -> None:
        if self._again and self._stale_skipped < MAX_STALE_SKIPS:
            # Something changed while this fetch ran: its result may predate it (a bumped ticket would
            # come back for a moment). Fetch again instead; under a steady stream of changes, apply
            # every few fetches anyway so the view never starves.
            self._stale_skipped += 1
            self._next()
            return
        self._stale_skipped = 0
        try:
            self._apply(result)
        finally:
            self._next()

    def _failed(self, error: Exception) -> None:
        try:
            if self._failure is not None:
                self._failure(error)
        finally:
            self._next()

    def _next(self) -> None:
        self._running = False
        if self._again:
            self._again = False
            self.request()
