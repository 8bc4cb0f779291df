"""The one place where the shop's live feed crosses into Qt.

``shop.subscribe`` calls back on a background thread; the only thing we do there is emit a Qt
signal. Because ``ShopEvents`` lives on the GUI thread, Qt queues the emission and delivers it on
the GUI thread, so every slot connected to ``event`` or ``batch`` may touch widgets.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from services.port import Connection, ConnectionState, EventRecord, Shop


class ShopEvents(QObject):
    """Turns shop events into Qt signals on the GUI thread.

    ``event(EventRecord)`` fires once per event; ``batch(list[EventRecord])`` fires once per burst,
    ``coalesce_ms`` after the first event of the burst, so screens that refetch do it once for 300
    events instead of 300 times.
    """

    # Shadows QObject.event() for Python only: PySide's virtual dispatch skips what is not a method.
    event = Signal(object)  # type: ignore[assignment]
    batch = Signal(list)
    subscribed = Signal()       # the feed is live: refetch once to close the gap before it
    connection_changed = Signal(object)   # services.port.Connection, on the GUI thread
    reconnected = Signal()      # the server answers again after being away: refetch what may have changed
    _arrived = Signal(object)   # emitted on the shop's thread; queued to ours
    _connection_arrived = Signal(object)

    def __init__(self, shop: Shop, *, coalesce_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: list[EventRecord] = []
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(coalesce_ms)
        self._flush_timer.timeout.connect(self._flush)
        self._arrived.connect(self._on_arrived)
        self._lock = threading.Lock()
        self._unsubscribe: Callable[[], None] | None = None
        self._stopped = False
        self.is_subscribed = False
        self.subscribed.connect(self._mark_subscribed)
        # the shop tells us of its link on its own thread (no user action needed); we re-emit on ours
        self.connection: Connection = shop.connection()
        self._connection_arrived.connect(self._on_connection)
        self._unwatch = shop.watch_connection(self._connection_arrived.emit)
        # subscribing is a port call (a remote shop opens a connection): never on the GUI thread
        threading.Thread(target=self._subscribe, args=(shop,), name="shop-subscribe", daemon=True).start()

    def _subscribe(self, shop: Shop) -> None:
        try:
            unsubscribe = shop.subscribe(self._arrived.emit)
        except Exception:   # the screens still work from their own fetches; log for the operator
            import logging
            logging.getLogger(__name__).exception("could not subscribe to the shop's live feed")
            return
        with self._lock:
            if self._stopped:
                unsubscribe()
                return
            self._unsubscribe = unsubscribe
        self.subscribed.emit()

    @Slot()
    def _mark_subscribed(self) -> None:
        self.is_subscribed = True

    @Slot(object)
    def _on_connection(self, connection: Connection) -> None:
        was_away = self.connection.state is ConnectionState.OFFLINE
        self.connection = connection
        self.connection_changed.emit(connection)
        if was_away and connection.state is not ConnectionState.OFFLINE:
            self.reconnected.emit()

    @Slot(object)
    def _on_arrived(self, record: EventRecord) -> None:
        self.event.emit(record)
        self._pending.append(record)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    @Slot()
    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            self.batch.emit(pending)

    def stop(self) -> None:
        """Stop listening (idempotent). Call before the shop is closed."""
        self._unwatch()
        with self._lock:
            self._stopped = True
            unsubscribe, self._unsubscribe = self._unsubscribe, None
        if unsubscribe is not None:
            try:
                unsubscribe()
            except Exception:   # the shop may already be closed at shutdown; nothing left to stop
                pass
