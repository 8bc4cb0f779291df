"""The till's printer sign: a red label in the status bar while a printer holds slips back (off, out of
paper, unplugged), naming it, how many slips wait and since when; gone once they have printed.

Without it a kitchen printer that is off is silent: its tickets wait (docs/printing.md, "Exactly once")
and only ``main.py printers waiting`` said so. The sign asks the print service running beside the
screens every few seconds, on the window's worker thread (a read of its local SQLite file).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from screens_common.fmt import local_time
from screens_common.i18n import tr, translator
from screens_common.runner import PortRunner
from screens_common.widgets import ui_font
from services.printing.jobs import Job

# A slip is shown as held back once an attempt failed, or once it waited this long (a printer that
# takes the connection and never answers fails only at its timeout).
HELD_AFTER_S = 10.0
POLL_MS = 3000


@dataclass(frozen=True)
class HeldBack:
    printers: tuple[str, ...]
    slips: int
    since: float          # when the oldest of them was made (epoch seconds)


def held_back(waiting: list[Job], now: float) -> HeldBack | None:
    """What ``waiting`` (the print service's jobs not printed yet) says a staff member must see, if anything."""
    held = [job for job in waiting if job.last_error or now - job.created_at >= HELD_AFTER_S]
    if not held:
        return None
    return HeldBack(tuple(sorted({job.printer for job in held})), len(held), min(job.created_at for job in held))


class PrinterSign(QLabel):
    """Hidden while every slip prints; ``desk`` is the ``PrintService`` beside the screens."""

    def __init__(self, desk, point_size: int = 11) -> None:
        super().__init__()
        self.setFont(ui_font(point_size, bold=True))
        self.setStyleSheet("QLabel { background:#c62828; color:white; padding:3px 10px; border-radius:3px; }")
        self.setVisible(False)
        self.held: HeldBack | None = None
        self._desk = desk
        self._runner = PortRunner(self)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(POLL_MS)
        translator.language_changed.connect(self.retranslate)   # a bound slot: dropped with the widget
        self.check()

    def check(self) -> None:
        if not self._runner.busy:
            self._runner.run(lambda: held_back(self._desk.waiting(), time.time()), self._show, lambda _: None)

    def retranslate(self, *_) -> None:
        self._show(self.held)

    def _show(self, held: HeldBack | None) -> None:
        self.held = held
        self.setVisible(held is not None)
        if held is not None:
            since = local_time(datetime.fromtimestamp(held.since, timezone.utc))[:5]
            self.setText(tr("printer.held", printers=", ".join(held.printers), n=held.slips, since=since))
