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
from services.port import Connection

_STYLE = {"online": "#2e7d32", "sending": "#1565c0", "offline": "#c62828", "busy": "#ef6c00"}


def connection_text(connection: Connection) -> str:
    if connection.state in ("offline", "sending"):
        return tr(f"conn.{connection.state}", n=connection.waiting)
    return tr("conn.busy") if connection.state == "busy" else tr("conn.online")


class ConnectionSign(QLabel):
    def __init__(self, events: ShopEvents, point_size: int = 11) -> None:
        super().__init__(font=ui_font(point_size, bold=True))
        self.connection = events.connection
        events.connection_changed.connect(self._show)
        translator.language_changed.connect(self.retranslate)  # a bound slot: dropped with the widget
        self._show(self.connection)

    @property
    def state(self) -> str:
        return self.connection.state

    def retranslate(self, *_) -> None:
        self._show(self.connection)

    def _show(self, connection: Connection) -> None:
        self.connection = connection
        self.setVisible(connection.remote)
        self.setText(connection_text(connection))
        colour = _STYLE.get(connection.state, _STYLE["offline"])
        self.setStyleSheet(f"QLabel {{ background:{colour}; color:white; padding:3px 10px; border-radius:3px; }}")
