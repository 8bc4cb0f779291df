"""The live feed of a shop database: every committed event, in position order, to every subscriber.

It follows the outbox, not the writer, so a screen in one process also sees the events another process
commits to the same file (a counter and a kitchen display started separately on one machine). This
process's writer wakes it after each commit, so its own events go out at once; another process's
commit is noticed through ``PRAGMA data_version`` within ``interval`` seconds. Subscribers run on the
feed's thread, never on the writer's, so a slow or re-entrant one cannot hold up a commit.

A subscriber may name the events it wants (the scheduler needs two of about twenty kinds). When every
subscriber does, only those rows are read and decoded, and a commit of other events does not wake
the feed at all (docs/decisions/0011).
"""
from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Collection
from pathlib import Path
from typing import NamedTuple

from services.infra.db import BUSY_TIMEOUT_MS
from services.infra.outbox import decode
from services.local.views import to_event_record
from services.port import EventRecord

log = logging.getLogger(__name__)
_HEAD = "SELECT coalesce(max(id), 0) FROM outbox"
_AFTER = "SELECT id, at, name, data FROM outbox WHERE id > ? AND id <= ? ORDER BY id LIMIT 1000"
_AFTER_NAMED = "SELECT id, at, name, data FROM outbox WHERE id > ? AND id <= ? AND name IN ({}) ORDER BY id LIMIT 1000"


class _Subscriber(NamedTuple):
    callback: Callable[[EventRecord], None]
    names: frozenset[str] | None   # None: every event


class LiveFeed:
    def __init__(self, path: Path, interval: float = 0.05) -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self._interval = interval
        self._position = self._head()
        self._version = self._data_version()
        # (subscribers, the union of their names or None for "every event"): replaced whole, so the
        # feed thread reads a consistent pair without the lock.
        self._audience: tuple[list[_Subscriber], frozenset[str] | None] = ([], frozenset())
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="shop-feed", daemon=True)
        self._thread.start()

    def subscribe(self, callback: Callable[[EventRecord], None], names: Collection[str] | None = None
                  ) -> Callable[[], None]:
        """Call ``callback`` for every event committed from now on (only those named, if ``names``)."""
        subscriber = _Subscriber(callback, None if names is None else frozenset(names))
        with self._lock:
            self._set_audience([*self._audience[0], subscriber])

        def unsubscribe() -> None:
            with self._lock:
                self._set_audience([s for s in self._audience[0] if s is not subscriber])
        return unsubscribe

    def _set_audience(self, subscribers: list[_Subscriber]) -> None:
        wanted: frozenset[str] | None = frozenset()
        for subscriber in subscribers:
            wanted = None if wanted is None or subscriber.names is None else wanted | subscriber.names
        self._audience = (subscribers, wanted)

    def notify(self, names: Collection[str]) -> None:
        """Events named ``names`` were committed here: publish them now rather than at the next check."""
        wanted = self._audience[1]
        if wanted is None or not wanted.isdisjoint(names):  # else the periodic check moves past them
            self._wake.set()

    def close(self) -> None:
        self._stopped = True
        self._wake.set()
        self._thread.join(timeout=10)
        self._conn.close()

    def _data_version(self) -> int:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def _head(self) -> int:
        return self._conn.execute(_HEAD).fetchone()[0]

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
        # The head first, then who listens: a subscriber added in between hears everything up to the
        # head (and a little from before it subscribed), never nothing.
        head = self._head()  # read up to a fixed head, so moving the position there skips nothing unread
        subscribers, wanted = self._audience
        names: tuple[str, ...]
        if wanted is None:
            query, names = _AFTER, ()
        elif wanted:
            query, names = _AFTER_NAMED.format(", ".join("?" * len(wanted))), tuple(wanted)
        else:  # nobody listening: move past what is there without reading it
            self._position = head
            return
        while rows := self._conn.execute(query, (self._position, head, *names)).fetchall():
            for row in rows:
                record = to_event_record(decode(*row))
                self._position = record.position
                for subscriber in subscribers:
                    if subscriber.names is None or record.name in subscriber.names:
                        self._deliver(subscriber, record)
        self._position = head

    @staticmethod
    def _deliver(subscriber: _Subscriber, record: EventRecord) -> None:
        try:
            subscriber.callback(record)
        except Exception:  # noqa: BLE001 - one broken screen never stops the others
            log.exception("subscriber %r failed on %s", subscriber.callback, record.name)
