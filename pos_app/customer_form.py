"""The counter's customer box: the order type, name, phone, address and "order for later"."""
from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit

from pos_app.order_type import OrderTypePicker
from screens_common.i18n import tr
from screens_common.widgets import ui_font
from services.commands import normalize_phone
from services.errors import InvalidInput


class CustomerForm(QGroupBox):
    def __init__(self, settings=None, parent=None) -> None:
        super().__init__(parent)
        self.name, self.phone, self.address = QLineEdit(), QLineEdit(), QLineEdit()
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.later = QCheckBox()
        self.later_at = QDateTimeEdit(_whole_minute(QDateTime.currentDateTime().addSecs(3600)))
        self.later_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.later_at.setCalendarPopup(True)
        self.later.toggled.connect(self._later_toggled)
        self.order_type = OrderTypePicker(settings)
        self.form = form = QFormLayout(self)
        form.setVerticalSpacing(4)                 # the order type's row fits without shrinking the cart
        form.addRow(self.order_type)
        self.name_label, self.phone_label, self.address_label = QLabel(), QLabel(), QLabel()
        who = QHBoxLayout()                       # name and phone share a row: the cart keeps its lines
        who.addWidget(self.name, 1)
        who.addSpacing(4)
        who.addWidget(self.phone_label)
        who.addWidget(self.phone, 1)
        # the counter's font (the field's own is not resolved yet): a whole number shows
        self.phone.setMinimumWidth(QFontMetrics(ui_font(12)).horizontalAdvance("010-1234-5678") + 16)
        form.addRow(self.name_label, who)
        form.addRow(self.address_label, self.address)
        later_row = QHBoxLayout()
        later_row.addWidget(self.later)
        later_row.addWidget(self.later_at, 1)
        form.addRow(later_row)
        # The address is a delivery's (the table a dine-in's, in the order type's rows): the other types
        # leave the cart that height.
        self.order_type.changed.connect(self._show_address)
        self._show_address(self.order_type.kind())

    def retranslate(self) -> None:
        self.setTitle(tr("counter.customer"))
        self.name_label.setText(tr("counter.name"))
        self.phone_label.setText(tr("counter.phone"))
        self.address_label.setText(tr("counter.address"))
        self.phone.setPlaceholderText("010-1234-5678")
        self.later.setText(tr("counter.later"))
        self.order_type.retranslate()

    def problem(self) -> str:
        """The i18n key of what the cashier must fix here before the order can go, or ""."""
        if self.phone.text().strip():
            try:
                normalize_phone(self.phone.text())
            except InvalidInput:
                return "counter.bad_phone"
        if self.later.isChecked() and self._scheduled_for() <= _soon():
            return "counter.later_past"
        return self.order_type.problem(self.address.text())

    def command_fields(self) -> dict:
        """The PlaceOrder fields this box holds. Raises InvalidInput for a later order's past time."""
        scheduled = None
        if self.later.isChecked():
            scheduled = self._scheduled_for()
            if scheduled <= _soon():
                raise InvalidInput("The time for a later order must be in the future")
        delivery = self.order_type.kind() == "delivery"     # the address is shown (and sent) for a delivery
        return {"customer_name": self.name.text().strip(), "phone": self.phone.text().strip(),
                "address": self.address.text().strip() if delivery else "", "scheduled_for": scheduled,
                **self.order_type.command_fields()}

    def clear(self) -> None:
        for field in (self.name, self.phone, self.address):
            field.clear()
        self.later.setChecked(False)

    def _show_address(self, kind: str) -> None:
        self.form.setRowVisible(self.address, kind == "delivery")

    def _later_toggled(self, on: bool) -> None:
        # the suggested time was set when the screen opened; after a long shift it would be past
        if on and self.later_at.dateTime() <= QDateTime.currentDateTime():
            self.later_at.setDateTime(_whole_minute(QDateTime.currentDateTime().addSecs(30 * 60)))

    def _scheduled_for(self) -> datetime:
        # what the picker shows, to the minute: no seconds hidden behind "HH:mm"
        picked: datetime = self.later_at.dateTime().toPython()  # type: ignore[assignment]  # stubs say object
        return picked.replace(second=0, microsecond=0).astimezone()


def _soon() -> datetime:
    return datetime.now().astimezone() + timedelta(seconds=1)


def _whole_minute(at: QDateTime) -> QDateTime:
    time = at.time()
    return QDateTime(at.date(), time.addSecs(-time.second()).addMSecs(-time.msec()))
