"""The counter's sign of the link to a shop server: "offline — 3 waiting", "busy — try again shortly".

Only a remote shop has a connection (``connection_status`` / ``add_status_listener``, see
services/remote); with the local shop the sign stays hidden. The listener runs on a background
thread, so it only emits a signal; the label changes on the GUI thread.
"""
from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel

from screens_common.i18n import tr, translator
from screens_common.widgets import ui_font

_STYLE = {"online": "#2e7d32", "sending": "#1565c0", "offline": "#c62828", "busy": "#ef6c00"}


def connection_text(status: str) -> tuple[str, str]:
    """(kind, translated text) for a RemoteShop status string."""
    kind = status.split(" ", 1)[0]
    waiting = re.search(r"(\d+) waiting", status)
    count = int(waiting.group(1)) if waiting else 0
    if kind in ("offline", "sending"):
        return kind, tr(f"conn.{kind}", n=count)
    if kind == "busy":
        return kind, tr("conn.busy")
    return "online", tr("conn.online")


class ConnectionSign(QLabel):
    status_changed = Signal(str)

    def __init__(self, shop) -> None:
        super().__init__(font=ui_font(11, bold=True))
        self._status = ""
        self.setVisible(False)
        if not hasattr(shop, "add_status_listener"):
            return  # a local shop has no server to lose
        self.status_changed.connect(self._show)
        unsubscribe = shop.add_status_listener(self.status_changed.emit)
        self.destroyed.connect(lambda *_: unsubscribe())
        translator.language_changed.connect(self.retranslate)  # a bound slot: dropped with the widget
        self._show(shop.connection_status())

    def retranslate(self, *_) -> None:
        self._show(self._status)

    def _show(self, status: str) -> None:
        self._status = status
        kind, text = connection_text(status)
        self.setText(text)
        self.setStyleSheet(f"QLabel {{ background:{_STYLE[kind]}; color:white; padding:3px 10px; border-radius:3px; }}")
        self.setVisible(True)
