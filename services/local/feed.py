"""The live feed of a shop database: every committed event, in position order, to every subscriber.

It follows the outbox, not the writer, so a screen in one process also sees the events another process
commits to the same file (a counter and a kitchen display started separately on one machine). This
process's writer wakes it after each commit, so its own events go out at once; another process's
commit is noticed through ``PRAGMA data_version`` within ``interval`` seconds. Subscribers run on the
feed's thread, never on the writer's, so a slow or re-entrant one cannot hold up a commit.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import Callable

from services.infra.db import BUSY_TIMEOUT_MS
from services.infra.outbox import decode
from services.local.views import to_event_record
from services.port import EventRecord

log = logging.getLogger(__name__)
_AFTER = "SELECT id, at, name, data FROM outbox WHERE id > ? ORDER BY id LIMIT 1000"


class LiveFeed:
    def __init__(self, path: Path, interval: float = 0.05) -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self._interval = interval
        self._position = self._conn.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0]
        self._version = self._data_version()
        self._subscribers: list[Callable[[EventRecord], None]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="shop-feed", daemon=True)
        self._thread.start()

    def subscribe(self, callback: Callable[[EventRecord], None]) -> Callable[[], None]:
        with self._lock:
            self._subscribers = [*self._subscribers, callback]

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers = [s for s in self._subscribers if s is not callback]
        return unsubscribe

    def notify(self) -> None:
        """Something was committed here: publish it now rather than at the next check."""
        if self._subscribers:  # nobody listening: the periodic check keeps the position current
            self._wake.set()

    def close(self) -> None:
        self._stopped = True
        self._wake.set()
        self._thread.join(timeout=10)
        self._conn.close()

    def _data_version(self) -> int:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def _run(self) -> None:
        while True:
            woken = self._wake.wait(self._interval)
            self._wake.clear()
            try:
                version = self._data_version()
                if woken or version != self._version:
                    self._version = version
                    self._publish_new()
            except Exception:  # noqa: BLE001 - the feed must outlive a bad moment (e.g. a locked file)
                log.exception("live feed could not read the outbox")
            if self._stopped:
                return

    def _publish_new(self) -> None:
        if not self._subscribers:  # nobody listening: skip decoding, just move past what is there
            self._position = self._conn.execute("SELECT coalesce(max(id), 0) FROM outbox").fetchone()[0]
            return
        while rows := self._conn.execute(_AFTER, (self._position,)).fetchall():
            for row in rows:
                record = to_event_record(decode(*row))
                self._position = record.position
                for callback in self._subscribers:  # copy-on-write list: safe without the lock
                    try:
                        callback(record)
                    except Exception:  # noqa: BLE001 - one broken screen never stops the others
                        log.exception("subscriber %r failed on %s", callback, record.name)
