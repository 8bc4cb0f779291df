"""Opening and closing the day: open (개점) with the cash float, an X report at any time, close (마감)
with the cash counted and a manager's PIN, the Z report shown, kept and exported to CSV or PDF. Any
closed day's Z report can be picked and shown again (a reprint), and exported. The report takes the
dialog's height, which is the screen's (less a margin) up to 900 px. Port calls go through the runner."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QSizePolicy, QSpinBox, QVBoxLayout)

from pos_app.till_staff import till_staff
from screens_common.bridge import ShopEvents
from screens_common.fmt import local_time, won
from screens_common.i18n import tr, translator
from screens_common.runner import PortRunner
from screens_common.widgets import MessageBar, ui_font
from services.day_report import DayReport
from services.port import BusinessDay, Shop
from services.printing.preview import FONT_FAMILIES
from services.reports.export import report_rows, write_csv, write_pdf


def _won_box() -> QSpinBox:
    box = QSpinBox(minimum=0, maximum=100_000_000, singleStep=10_000)
    box.setGroupSeparatorShown(True)
    return box


def _cells(text: str) -> int:
    """Columns ``text`` takes in a fixed font: a Hangul (wide) character two, others one."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _cells(text))


def report_text(report: DayReport) -> str:
    """The report as the screen shows it: one figure a line, amounts right-aligned."""
    lines = []
    for section, key, label, count, amount in report_rows(report):
        if not key:
            lines.append(f"\n[{label}]")
            continue
        shown = f"{int(amount):,}" if amount.lstrip("-").isdigit() and section not in ("day",) else amount
        lines.append(f"{_pad(label, 36)} {count:>5} {shown:>12}")
    return "\n".join(lines).strip()


class DayDialog(QDialog):
    def __init__(self, shop: Shop, events: ShopEvents | None = None, parent=None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.runner = PortRunner(self)
        self.day: BusinessDay | None = None
        self._closed_days: list[BusinessDay] = []
        self.report: DayReport | None = None
        self.setFont(ui_font(12))
        self.resize(720, 640)
        self.status = QLabel(font=ui_font(14, bold=True), wordWrap=True)  # type: ignore[call-overload]  # stub gap: inherited property
        self.float_cash, self.counted = _won_box(), _won_box()
        self.float_cash.setValue(100_000)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.open_button, self.x_button, self.close_button = QPushButton(), QPushButton(), QPushButton()
        self.reprint, self.csv_button, self.pdf_button = QPushButton(), QPushButton(), QPushButton()
        self.open_button.clicked.connect(self.open_day)
        self.x_button.clicked.connect(self.show_x_report)
        self.close_button.clicked.connect(self.close_day)
        self.reprint.clicked.connect(self.show_z_report)
        self.closed_days = QComboBox()                # every closed day, newest first: its Z report again
        self.closed_days.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.closed_days.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)  # its label whole
        self.closed_days.activated.connect(lambda _: self.show_z_report())
        self.csv_button.clicked.connect(lambda: self._export("csv"))
        self.pdf_button.clicked.connect(lambda: self._export("pdf"))
        self.view = QPlainTextEdit(readOnly=True)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setFamilies([*FONT_FAMILIES, fixed.family()])   # Hangul exactly two columns: the amounts line up
        self.view.setFont(fixed)
        self.message = MessageBar()
        self.open_box, self.close_box = QGroupBox(), QGroupBox()
        open_form = QFormLayout(self.open_box)
        self.float_label, self.counted_label, self.pin_label = QLabel(), QLabel(), QLabel()
        open_form.addRow(self.float_label, self.float_cash)
        open_form.addRow(self.open_button)
        close_form = QFormLayout(self.close_box)
        close_form.addRow(self.counted_label, self.counted)
        close_form.addRow(self.pin_label, self.pin)
        close_form.addRow(self.close_button)
        row = QHBoxLayout()
        row.addWidget(self.open_box)
        row.addWidget(self.close_box)
        exports = QHBoxLayout()
        for widget in (self.x_button, self.closed_days, self.reprint, self.csv_button, self.pdf_button):
            exports.addWidget(widget)
        top = QHBoxLayout()                           # the message beside the status: no empty row under the report
        top.addWidget(self.status, 3)
        top.addWidget(self.message, 2)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)   # grows with a longer label (Korean)
        layout.addLayout(top)
        layout.addLayout(row)
        layout.addLayout(exports)
        layout.addWidget(self.view, 1)
        if events is not None:
            events.batch.connect(lambda records: self.refresh() if any(
                r.name in ("DayOpened", "DayClosed") for r in records) else None)
        translator.language_changed.connect(self.retranslate)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("day.title"))
        self.open_box.setTitle(tr("day.open"))
        self.close_box.setTitle(tr("day.close"))
        self.float_label.setText(tr("day.float"))
        self.counted_label.setText(tr("day.counted"))
        self.pin_label.setText(tr("day.manager_pin"))
        self.open_button.setText(tr("day.open"))
        self.close_button.setText(tr("day.close"))
        self.x_button.setText(tr("day.x"))
        self.reprint.setText(tr("day.reprint"))
        self.csv_button.setText(tr("day.export_csv"))
        self.pdf_button.setText(tr("day.export_pdf"))
        self._list_closed_days()
        self._show_status()

    def showEvent(self, event) -> None:
        """As tall as the screen allows (up to 900 px): the report is the point of the dialog."""
        parent = self.parentWidget()
        screen = self.screen() or (parent.screen() if parent is not None else None)
        if screen is not None:
            height = min(900, screen.availableGeometry().height() - 40)
            self.resize(self.width(), max(self.minimumHeight(), height))
        super().showEvent(event)

    def refresh(self) -> None:
        self.runner.run(lambda: (self.shop.current_day(), self.shop.days()), self._days_found, self.message.error)

    def _days_found(self, found: tuple[BusinessDay | None, list[BusinessDay]]) -> None:
        current, days = found
        self._closed_days = [day for day in days if day.status == "closed"]
        self._list_closed_days()
        self._day_found(current)

    def _list_closed_days(self) -> None:
        """Filled again on a language change too: its labels are in the reader's language."""
        chosen = self.closed_days.currentData()
        self.closed_days.clear()
        for day in self._closed_days:
            self.closed_days.addItem(tr("day.closed_day", day=day.day_id,
                                        at=local_time(day.closed_at, with_date=True)), day.day_id)
        if chosen is not None and (index := self.closed_days.findData(chosen)) >= 0:
            self.closed_days.setCurrentIndex(index)

    def _day_found(self, day: BusinessDay | None) -> None:
        self.day = day
        self._show_status()

    def _show_status(self) -> None:
        day = self.day
        self.status.setText(tr("day.open_now", day=day.day_id, at=local_time(day.opened_at, with_date=True),
                               float=won(day.float_cash)) if day else tr("day.closed_now"))
        self.open_box.setEnabled(day is None)
        self.close_box.setEnabled(day is not None)
        self.x_button.setEnabled(day is not None)
        self.reprint.setEnabled(self.closed_days.count() > 0)
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(self.report is not None)

    def _show_report(self, report: DayReport) -> None:
        self.report = report
        self.view.setPlainText(report_text(report))
        self._show_status()

    # -- actions --------------------------------------------------------------------------------------
    def open_day(self) -> None:
        float_cash, staff = self.float_cash.value(), till_staff()
        self.runner.run(lambda: self.shop.open_day(float_cash, staff), self._day_found, self.message.error)

    def show_x_report(self) -> None:
        self.runner.run(self.shop.x_report, self._show_report, self.message.error)

    def close_day(self) -> None:
        counted, pin = self.counted.value(), self.pin.text()
        self.pin.clear()                         # asked again for the next try, whatever the outcome
        self.message.clear_message()             # an earlier wrong PIN must not stand beside the Z report

        def close():
            manager = self.shop.verify_manager_pin(pin)
            return self.shop.close_day(counted, manager)
        self.runner.run(close, self._closed, self.message.error)

    def _closed(self, report: DayReport) -> None:
        self.day = None
        self._show_report(report)
        self.message.info_key("day.closed_ok", hide_after_ms=60000, day=report.day_id, who=report.closed_by)
        self.closed_days.setCurrentIndex(-1)     # the list is read again: the day just closed comes first
        self.refresh()

    def show_z_report(self) -> None:
        """The Z report of the closed day chosen in the list (the newest unless another is chosen)."""
        day_id = self.closed_days.currentData()
        if day_id is None:
            self.message.error(tr("day.none_closed"))
            return
        self.runner.run(lambda: self.shop.z_report(day_id), self._show_report, self.message.error)

    def _export(self, kind: str) -> None:
        if self.report is None:
            return
        name = f"{self.report.kind.lower()}-report-day-{self.report.day_id}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, tr(f"day.export_{kind}"), name)
        if path:
            self.export(Path(path), kind)

    def export(self, path: Path, kind: str) -> Path:
        """Write the shown report to ``path`` as CSV or PDF (the buttons ask where first)."""
        assert self.report is not None
        written = write_csv(self.report, path) if kind == "csv" else write_pdf(self.report, path)
        self.message.info(tr("day.exported", path=written), hide_after_ms=15000)
        return written
