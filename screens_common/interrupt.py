"""Ctrl+C in the terminal closes the shop cleanly.

Qt's event loop runs in C++, so Python's SIGINT handler would only run at the next Python call, maybe
never. ``signal.set_wakeup_fd`` writes a byte to a socket when a signal arrives; a QSocketNotifier
wakes the loop on it, and the handler quits the application (windows close, the shop closes).
"""
from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication


class QuitOnInterrupt(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._reader, writer = socket.socketpair()
        self._writer = writer
        for end in (self._reader, writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(writer.fileno())
        self._previous_handlers = {sig: signal.signal(sig, lambda *_: app.quit())
                                   for sig in (signal.SIGINT, signal.SIGTERM)}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self, *_) -> None:
        try:
            self._reader.recv(64)  # the Python-level handler has run already: this only wakes the loop
        except BlockingIOError:
            pass

    def uninstall(self) -> None:
        signal.set_wakeup_fd(self._previous_fd)
        for sig, handler in self._previous_handlers.items():
            signal.signal(sig, handler)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()
