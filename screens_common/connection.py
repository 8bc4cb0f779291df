"""The sign of a terminal's link to its shop server: "Offline — 3 waiting", "Busy — try again shortly".

It follows ``ShopEvents.connection_changed`` (the port's ``Connection``, re-emitted on the GUI thread),
so it changes by itself when the server goes or comes back. A shop with no server (the local shop)
has no sign: it cannot be offline.
"""
from __future__ import annotations

from PySide6.QtWidgets import QLabel

from screens_common.bridge import ShopEvents
from screens_common.i18n import tr, translator
from screens_common.widgets import ui_font
from services.port import Connection, ConnectionState

_STYLE = {ConnectionState.ONLINE: "#2e7d32", ConnectionState.SENDING: "#1565c0",
          ConnectionState.OFFLINE: "#c62828", ConnectionState.BUSY: "#ef6c00"}
_TEXT = {ConnectionState.ONLINE: "conn.online", ConnectionState.SENDING: "conn.sending",
         ConnectionState.OFFLINE: "conn.offline", ConnectionState.BUSY: "conn.busy"}


def connection_text(connection: Connection) -> str:
    return tr(_TEXT[connection.state], n=connection.waiting)


class ConnectionSign(QLabel):
    def __init__(self, events: ShopEvents, point_size: int = 11) -> None:
        super().__init__()
        self.setFont(ui_font(point_size, bold=True))
        self.connection = events.connection
        events.connection_changed.connect(self._show)
        translator.language_changed.connect(self.retranslate)  # a bound slot: dropped with the widget
        self._show(self.connection)

    @property
    def state(self) -> ConnectionState:
        return self.connection.state

    def retranslate(self, *_) -> None:
        self._show(self.connection)

    def _show(self, connection: Connection) -> None:
        self.connection = connection
        self.setVisible(connection.remote)
        self.setText(connection_text(connection))
        colour = _STYLE[connection.state]
        self.setStyleSheet(f"QLabel {{ background:{colour}; color:white; padding:3px 10px; border-radius:3px; }}")
