"""A manager's PIN and why, asked before any manager's action on any screen: the counter's Manager dialog
keeps the box beside its actions; the kitchen asks in ``ManagerPinDialog`` when a cook taps Sold out or
Restock. The PIN is checked by the port's ``verify_manager_pin`` in every mode (the embedded shop's staff
file; the shop server's manager sign-in, after which the till's call goes as that manager) and the action
is called with that manager and the reason, which the port audits. Nothing is done without both."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from screens_common.i18n import tr, translator
from screens_common.runner import PortRunner
from screens_common.widgets import MessageBar, ui_font
from services.commands import MAX_REASON_LENGTH
from services.port import Shop

ManagerAction = Callable[[str, str], object]     # (manager's staff id, reason) -> anything


class ManagerPinBox(QGroupBox):
    """The PIN and the reason. ``as_manager`` checks both are given, then verifies the PIN and runs the
    action off the GUI thread; the PIN is cleared whatever the outcome, so the next action asks again."""

    def __init__(self, shop: Shop, runner: PortRunner, message: MessageBar, parent=None) -> None:
        super().__init__(parent)
        self.shop, self.runner, self.message = shop, runner, message
        self.pin = QLineEdit(echoMode=QLineEdit.EchoMode.Password, maxLength=12)
        self.pin.setMinimumWidth(160)   # the Korean placeholder fits
        self.reason = QLineEdit(maxLength=MAX_REASON_LENGTH)
        self.pin_label, self.reason_label = QLabel(), QLabel()
        form = QFormLayout(self)
        form.addRow(self.pin_label, self.pin)
        form.addRow(self.reason_label, self.reason)

    def retranslate(self) -> None:
        self.setTitle(tr("pin.ask"))
        self.pin_label.setText(tr("mgr.pin"))
        self.reason_label.setText(tr("mgr.reason"))
        self.reason.setPlaceholderText(tr("mgr.reason_hint"))

    def as_manager(self, action: ManagerAction, done: Callable[[str], None],
                   refused: Callable[[], None] | None = None) -> bool:
        """Verify the PIN, then ``action(manager, reason)``; ``done(manager)`` after it, or the error shown
        and ``refused()``. False (nothing started) when the PIN or the reason is missing."""
        pin, reason = self.pin.text(), self.reason.text().strip()
        if not pin:
            self.message.error(tr("pin.ask"))
            self.pin.setFocus()
            return False
        if not reason:
            self.message.error(tr("mgr.need_reason"))
            self.reason.setFocus()
            return False
        shop = self.shop

        def act() -> str:
            manager = shop.verify_manager_pin(pin)
            action(manager, reason)
            return manager

        def saved(manager: str) -> None:
            self.clear()
            done(manager)

        def failed(error: Exception) -> None:
            self.pin.clear()
            self.message.error(error)
            if refused is not None:
                refused()
        self.runner.run(act, saved, failed)
        return True

    def clear(self) -> None:
        self.pin.clear()
        self.reason.clear()


class ManagerPinDialog(QDialog):
    """What is about to be done, the manager's PIN and why, then Confirm or Cancel. ``done_by`` gives the
    manager once the action is done; a wrong PIN leaves the dialog open with nothing done."""
    done_by = Signal(str)

    def __init__(self, shop: Shop, parent=None) -> None:
        super().__init__(parent)
        self.runner = PortRunner(self)
        self.setFont(ui_font(14))
        self.setMinimumWidth(480)
        self.what = QLabel(wordWrap=True)
        self.what.setFont(ui_font(16, bold=True))
        self.message = MessageBar()
        self.box = ManagerPinBox(shop, self.runner, self.message)
        self.pin, self.reason = self.box.pin, self.box.reason
        self.cancel, self.confirm = QPushButton(), QPushButton()
        self.confirm.setDefault(True)             # Enter in the reason confirms
        self.cancel.clicked.connect(self.reject)
        self.confirm.clicked.connect(self._confirm)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm)
        layout = QVBoxLayout(self)
        for widget in (self.what, self.box, self.message):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self._what: tuple[str, dict] = ("", {})
        self._action: ManagerAction | None = None
        translator.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        key, fields = self._what
        self.setWindowTitle(tr("mgr.title"))
        self.what.setText(tr(key, **fields) if key else "")
        self.box.retranslate()
        self.cancel.setText(tr("mgr.cancel"))
        self.confirm.setText(tr("mgr.confirm"))

    def ask(self, action: ManagerAction, key: str, **fields: object) -> None:
        """Show the dialog for ``action``, described by the text ``key`` with ``fields``."""
        self._what, self._action = (key, fields), action
        self.box.clear()
        self.message.clear_message()
        self.confirm.setEnabled(True)
        self.retranslate()
        self.open()
        self.pin.setFocus()

    def _confirm(self) -> None:
        if self._action is None or not self.confirm.isEnabled():
            return
        if self.box.as_manager(self._action, self._done, lambda: self.confirm.setEnabled(True)):
            self.confirm.setEnabled(False)         # one action per PIN: no double restock

    def _done(self, manager: str) -> None:
        self._action = None
        self.accept()
        self.done_by.emit(manager)
