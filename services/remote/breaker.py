"""A minimal circuit breaker for one terminal's link to the server.

Why not pybreaker: it holds one lock for the whole wrapped call (every call through a breaker is
serialised) and counts N failures before opening. Here a refused or timed-out connection opens the
breaker at once (the counter must switch to its offline queue on the first failure, not the fifth), a
business refusal (4xx) never counts, and probing is done by the queue's own thread, which is the
only caller that needs to learn the server is back. That needs only a state and a lock around it.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Breaker:
    CLOSED, OPEN = "closed", "open"

    def __init__(self, on_change: Callable[[str], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._state = self.CLOSED
        self.opened_at = 0.0
        self.trips = 0
        self._on_change = on_change

    @property
    def is_open(self) -> bool:
        return self._state == self.OPEN

    def trip(self) -> None:
        """The server could not be reached: fail fast from now on until ``reset``."""
        with self._lock:
            changed = self._state != self.OPEN
            if changed:
                self._state, self.opened_at = self.OPEN, time.monotonic()
                self.trips += 1
        if changed and self._on_change:
            self._on_change(self.OPEN)

    def reset(self) -> None:
        """A probe reached the server: calls go through again."""
        with self._lock:
            changed = self._state != self.CLOSED
            self._state = self.CLOSED
        if changed and self._on_change:
            self._on_change(self.CLOSED)
