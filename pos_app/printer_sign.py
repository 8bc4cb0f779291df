"""The till's printer sign: a red label in the status bar while a printer holds slips back (off, out of
paper, unplugged), naming it, how many slips wait and since when; gone once they have printed.

Without it a kitchen printer that is off is silent: its tickets wait (docs/printing.md, "Exactly once")
and only ``main.py printers waiting`` said so. The sign asks the print service running beside the
screens every few seconds, on its own worker thread (a read of the service's local SQLite file), while
its window shows.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from screens_common.fmt import local_time
from screens_common.i18n import tr, translator
from screens_common.runner import PortRunner
from screens_common.widgets import ui_font
from services.printing.jobs import Job

log = logging.getLogger(__name__)
POLL_MS = 3000
# The sign shares the status bar of a 1280-pixel screen with the shop's sign: long printer names are
# cut short (all of them in the tooltip) so the count and what to check always show.
NAME_CHARS = 14
NAMES_SHOWN = 2


@dataclass(frozen=True)
class HeldBack:
    printers: tuple[str, ...]
    slips: int
    since: float          # when the oldest of them was made (epoch seconds)


def held_back(waiting: list[Job]) -> HeldBack | None:
    """The printers among ``waiting`` (the print service's jobs not printed yet) whose last attempt
    failed, with every slip they hold. A printer that merely has a queue in a rush is not one: its
    worker notes an error only when the printer refuses, times out or says it cannot print."""
    printers = {job.printer for job in waiting if job.last_error}
    held = [job for job in waiting if job.printer in printers]
    if not held:
        return None
    return HeldBack(tuple(sorted(printers)), len(held), min(job.created_at for job in held))


class PrinterSign(QLabel):
    """Hidden while every slip prints; ``desk`` is the ``PrintService`` beside the screens."""

    def __init__(self, desk, point_size: int = 11) -> None:
        super().__init__()
        self.setFont(ui_font(point_size, bold=True))
        self.setStyleSheet("QLabel { background:#c62828; color:white; padding:3px 10px; border-radius:3px; }")
        self.setVisible(False)
        self.held: HeldBack | None = None
        self._desk = desk
        self._failure = ""
        self._runner = PortRunner(self)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(POLL_MS)
        translator.language_changed.connect(self.retranslate)   # a bound slot: dropped with the widget
        self.check()

    def check(self) -> None:
        if not self._runner.busy and (self.window() is self or self.window().isVisible()):
            self._runner.run(lambda: held_back(self._desk.waiting()), self._show, self._failed)

    def retranslate(self, *_) -> None:
        self._show(self.held)

    def _failed(self, error: Exception) -> None:
        if str(error) != self._failure:          # once, not every few seconds
            self._failure = str(error)
            log.warning("printer sign: cannot read the print jobs: %s", error)

    def _show(self, held: HeldBack | None) -> None:
        self.held, self._failure = held, ""
        self.setVisible(held is not None)
        if held is not None:
            self.setText(sign_text(held, datetime.now(timezone.utc)))
            self.setToolTip(", ".join(held.printers))


def sign_text(held: HeldBack, now: datetime) -> str:
    """The sign in the screen's language; "since" has its date when it was not today (a night's backlog)."""
    since = datetime.fromtimestamp(held.since, timezone.utc)
    today = since.astimezone().date() == now.astimezone().date()
    return tr("printer.held" if len(held.printers) == 1 else "printer.held_many", printers=_names(held.printers),
              n=held.slips, since=local_time(since)[:5] if today else local_time(since, with_date=True))


def _names(printers: tuple[str, ...]) -> str:
    shown = [name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1] + "…" for name in printers[:NAMES_SHOWN]]
    more = len(printers) - len(shown)
    return ", ".join(shown) + (tr("printer.more", n=more) if more else "")
