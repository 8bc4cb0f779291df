"""The row a manager's window starts with: the manager's PIN (checked by the port's
``verify_manager_pin`` in every mode, guessing slowed down) and why, recorded with the manager's name on
every change made while the window is open. Hiding the window locks it again."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton

from screens_common.i18n import tr
from screens_common.runner import PortRunner
from screens_common.widgets import MessageBar
from services.commands import MAX_REASON_LENGTH
from services.port import Shop


class ManagerUnlock(QGroupBox):
    unlocked = Signal(str)     # the manager's staff id
    locked = Signal()

    def __init__(self, shop: Shop, runner: PortRunner, message: MessageBar, parent=None) -> None:
        super().__init__(parent)
        self.shop, self.runner, self.message = shop, runner, message
        self.manager = ""
        self.pin = QLineEdit(echoMode=QLineEdit.EchoMode.Password, maxLength=12)
        self.pin.setMinimumWidth(160)
        self.pin.returnPressed.connect(self.check_pin)
        self.ok = QPushButton()
        self.ok.clicked.connect(self.check_pin)
        self.reason = QLineEdit(maxLength=MAX_REASON_LENGTH)
        self.pin_label, self.reason_label, self.by = QLabel(), QLabel(), QLabel()
        pin_row = QHBoxLayout()
        pin_row.addWidget(self.pin, 1)
        pin_row.addWidget(self.ok)
        form = QFormLayout(self)
        form.addRow(self.pin_label, pin_row)
        form.addRow(self.reason_label, self.reason)
        form.addRow(self.by)

    def retranslate(self) -> None:
        self.setTitle(tr("pin.ask"))
        self.ok.setText(tr("mgr.ok"))
        self.pin_label.setText(tr("mgr.pin"))
        self.reason_label.setText(tr("unlock.reason"))
        self.reason.setPlaceholderText(tr("unlock.reason_hint"))
        self.by.setText(tr("unlock.by", who=self.manager) if self.manager else "")

    def check_pin(self) -> None:
        pin = self.pin.text()
        if not pin:
            self.message.error(tr("pin.ask"))
            self.pin.setFocus()
            return
        self.runner.run(lambda: self.shop.verify_manager_pin(pin), self._unlocked, self._refused)

    def _refused(self, error: Exception) -> None:
        self.pin.clear()
        self.message.error(error)

    def _unlocked(self, manager: str) -> None:
        self.manager = manager
        self.pin.clear()
        self.retranslate()
        self.unlocked.emit(manager)

    def why(self) -> str | None:
        """The reason given, or None after telling the manager to give one (nothing is saved without it)."""
        reason = self.reason.text().strip()
        if not reason:
            self.message.error(tr("mgr.need_reason"))
            self.reason.setFocus()
            return None
        return reason

    def lock(self) -> None:
        self.manager = ""
        self.pin.clear()
        self.reason.clear()
        self.retranslate()
        self.locked.emit()
