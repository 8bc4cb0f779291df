"""The counter's order type: dine-in (table, guests), takeout or delivery. The last type used is
remembered (for the next order, and in QSettings across restarts): a shop mostly takes one kind."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from screens_common.i18n import tr
from screens_common.widgets import ui_font

TYPES = ("dine_in", "takeout", "delivery")
_SETTING = "counter/order_type"


class OrderTypePicker(QWidget):
    """Three buttons (one checked) and, for dine-in, the table and guests: the first rows of the
    customer box, so the cart keeps its height on a 1280x800 till."""
    changed = Signal(str)

    def __init__(self, settings: QSettings | None = None, parent=None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for kind in TYPES:
            button = QPushButton(font=ui_font(12, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
            button.setCheckable(True)
            button.setMinimumHeight(28)
            button.setStyleSheet("QPushButton:checked { background:#1565c0; color:white; }")
            self.group.addButton(button)
            self.buttons[kind] = button
            row.addWidget(button)
        self.table = QSpinBox(minimum=0, maximum=999, specialValueText="–")  # type: ignore[call-arg]  # stub gap: inherited property
        self.guests = QSpinBox(minimum=0, maximum=99, specialValueText="–")  # type: ignore[call-arg]  # stub gap: inherited property
        self.table_label, self.guests_label = QLabel(), QLabel()
        self.table_row = QWidget()              # shown for dine-in only: hidden, it takes no height at all
        table_row = QHBoxLayout(self.table_row)
        table_row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.table_label, self.table, self.guests_label, self.guests):
            table_row.addWidget(widget)
        table_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.table_row)
        self.group.buttonToggled.connect(self._toggled)
        # A new till starts at takeout, the counter's most common order; then the last type used.
        remembered = settings.value(_SETTING, "takeout") if settings is not None else "takeout"
        self.set_kind(remembered if remembered in TYPES else "takeout")

    def retranslate(self) -> None:
        self.setToolTip(tr("type.box"))
        for kind, button in self.buttons.items():
            button.setText(tr(f"type.{kind}"))
        self.table_label.setText(tr("type.table"))
        self.guests_label.setText(tr("type.guests"))

    def kind(self) -> str:
        return next(kind for kind, button in self.buttons.items() if button.isChecked())

    def set_kind(self, kind: str) -> None:
        self.buttons[kind].setChecked(True)

    def _toggled(self, _button, checked: bool) -> None:
        if not checked:
            return
        kind = self.kind()
        self.table_row.setVisible(kind == "dine_in")
        if self._settings is not None:
            self._settings.setValue(_SETTING, kind)
        self.changed.emit(kind)

    def command_fields(self) -> dict:
        """``order_type``, ``table``, ``guests`` for PlaceOrder."""
        kind = self.kind()
        if kind != "dine_in":
            return {"order_type": kind}
        return {"order_type": kind, "table": self.table.value() or None, "guests": self.guests.value()}

    def problem(self, address: str) -> str:
        """The i18n key of what is missing for this type, or ""."""
        if self.kind() == "dine_in" and not self.table.value():
            return "type.need_table"
        if self.kind() == "delivery" and not address.strip():
            return "type.need_address"
        return ""

    def next_order(self) -> None:
        """After an order: the type stays (remembered); the table and guests are the next table's."""
        self.table.setValue(0)
        self.guests.setValue(0)
