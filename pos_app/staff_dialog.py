"""The manager's staff list, behind the manager's PIN: who works here (id, name, role, state: never a
PIN); add a person, change a name, role or PIN, deactivate someone. Each change goes through the port as
the manager whose PIN opened the window, with the reason given (audited); a new PIN or role ends that
person's sessions. A weak PIN is refused on the spot. Hiding the window locks it again."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from pos_app.manager_unlock import ManagerUnlock
from pos_app.pick_table import PickTable
from screens_common.i18n import tr, translator
from screens_common.runner import PortRunner
from screens_common.widgets import MessageBar, ui_font
from services.errors import InvalidInput, ShopError
from services.port import DeactivateStaff, SaveStaff, Shop, StaffMember
from services.staff_commands import MAX_PIN_DIGITS, ROLES
from services.staff_commands import staff_id as checked_id


def state_text(member: StaffMember) -> str:
    if not member.active:
        return tr("staff.inactive")
    return tr("staff.locked") if member.locked else tr("staff.active")


class StaffDialog(QDialog):
    def __init__(self, shop: Shop, parent=None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.runner = PortRunner(self)
        self.members: list[StaffMember] = []
        self.setFont(ui_font(12))
        self.setMinimumWidth(640)
        self.message = MessageBar()
        self.unlock_box = ManagerUnlock(shop, self.runner, self.message)
        self.unlock_box.unlocked.connect(lambda _: self.refresh())
        self.table = PickTable(4, stretch=1)       # the name takes the width
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.staff_id, self.name = QLineEdit(maxLength=40), QLineEdit()
        self.role = QComboBox()
        self.new_pin = QLineEdit(echoMode=QLineEdit.EchoMode.Password, maxLength=MAX_PIN_DIGITS)
        self.new, self.save = QPushButton(), QPushButton(font=ui_font(13, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
        self.deactivate = QPushButton()
        self.new.clicked.connect(self.start_new)
        self.save.clicked.connect(self.save_member)
        self.deactivate.clicked.connect(self.deactivate_member)
        self.labels = {key: QLabel() for key in ("id", "name", "role", "pin")}
        form = QFormLayout()
        for key, widget in (("id", self.staff_id), ("name", self.name), ("role", self.role), ("pin", self.new_pin)):
            form.addRow(self.labels[key], widget)
        buttons = QHBoxLayout()
        for button in (self.new, self.save, self.deactivate):
            buttons.addWidget(button)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.table, 1)
        body.addLayout(form)
        body.addLayout(buttons)
        self.body.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.unlock_box)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.message)
        translator.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("staff.title"))
        self.unlock_box.retranslate()
        self.table.setHorizontalHeaderLabels([tr("staff.id"), tr("staff.name"), tr("staff.role"), tr("staff.state")])
        for key, label in self.labels.items():
            label.setText(tr(f"staff.{key}"))
        self.new_pin.setPlaceholderText(tr("staff.pin_hint"))
        keep = self.role.currentData()
        self.role.clear()
        for role in ROLES:
            self.role.addItem(tr(f"staff_role.{role}"), role)
        self.role.setCurrentIndex(max(0, self.role.findData(keep)))
        self.new.setText(tr("staff.new"))
        self.save.setText(tr("staff.save"))
        self.deactivate.setText(tr("staff.deactivate"))
        self._fill_table()

    def refresh(self) -> None:
        self.runner.run(self.shop.staff_members, self._show_members, self.message.error)

    def _show_members(self, members: list[StaffMember]) -> None:
        self.members = list(members)
        self._fill_table()
        self.body.setEnabled(True)

    def _fill_table(self) -> None:
        keep = self.staff_id.text().strip()
        ids = [m.staff_id for m in self.members]
        self.table.fill([(m.staff_id, m.name, tr(f"staff_role.{m.role}"), state_text(m)) for m in self.members],
                        ids.index(keep) if keep in ids else None)

    def start_new(self) -> None:
        self.table.clearSelection()
        for field in (self.staff_id, self.name, self.new_pin):
            field.clear()
        self.staff_id.setEnabled(True)
        self.role.setCurrentIndex(0)

    def _show_selected(self) -> None:
        if (row := self.table.picked()) is None:
            return
        member = self.members[row]
        self.staff_id.setText(member.staff_id)
        self.staff_id.setEnabled(False)       # the id is who did what in the audit: never changed
        self.name.setText(member.name)
        self.role.setCurrentIndex(max(0, self.role.findData(member.role)))
        self.new_pin.clear()

    def save_member(self) -> None:
        try:
            checked_id(self.staff_id.text().strip())
        except InvalidInput:
            self.message.error_key("staff.bad_id")          # in the manager's language
            return
        if not self.name.text().strip():
            self.message.error_key("staff.need_name")
            return
        if (reason := self.unlock_box.why()) is None:
            return
        try:
            command = SaveStaff(self.staff_id.text().strip(), self.name.text(), self.role.currentData(),
                                self.new_pin.text(), staff=self.unlock_box.manager, reason=reason)
        except ShopError as error:      # a weak PIN: in the manager's language, the PIN not repeated
            self.message.error(error)
            self.new_pin.clear()
            return
        self.new_pin.clear()            # a PIN stays on screen no longer than it must
        self._change(lambda: self.shop.save_staff(command), tr("staff.saved", id=command.staff_id))

    def deactivate_member(self) -> None:
        if (row := self.table.picked()) is None:
            self.message.error_key("staff.choose")
            return
        if (reason := self.unlock_box.why()) is None:
            return
        command = DeactivateStaff(self.members[row].staff_id, staff=self.unlock_box.manager, reason=reason)
        self._change(lambda: self.shop.deactivate_staff(command), tr("staff.deactivated", id=command.staff_id))

    def _change(self, call, done: str) -> None:
        def change() -> list[StaffMember]:
            call()
            return self.shop.staff_members()

        def changed(members: list[StaffMember]) -> None:
            self._show_members(members)
            self.message.info(done, hide_after_ms=8000)
        self.runner.run(change, changed, self.message.error)

    def hideEvent(self, event) -> None:      # closing locks it: the next manager gives their own PIN
        self.unlock_box.lock()
        self.body.setEnabled(False)
        self.members = []
        self._fill_table()
        super().hideEvent(event)
