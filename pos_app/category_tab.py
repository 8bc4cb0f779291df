"""The menu editor's categories: the list in menu order; pick one to rename it (Korean and English
names: its items follow), or start a new one (added last). Saved through the port as the manager
whose PIN opened the editor, with the editor's reason (audited)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pos_app.manager_unlock import ManagerUnlock
from pos_app.pick_table import PickTable
from screens_common.i18n import item_name, tr
from screens_common.runner import PortRunner
from screens_common.widgets import MessageBar, ui_font
from services.errors import InvalidInput, ShopError
from services.menu_commands import code as checked_code
from services.port import Category, SaveCategory, Shop


def valid_code(text: str) -> bool:
    """Whether ``text`` is a code the menu takes (1-40 lower-case letters, digits or dashes)."""
    try:
        checked_code(text, "Code")
        return True
    except InvalidInput:
        return False


class CategoryTab(QWidget):
    changed = Signal(list)      # the categories after a save (the items' category list follows)

    def __init__(self, shop: Shop, runner: PortRunner, unlock: ManagerUnlock, message: MessageBar) -> None:
        super().__init__()
        self.shop, self.runner, self.unlock, self.message = shop, runner, unlock, message
        self.categories: list[Category] = []
        self.table = PickTable(3)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.code, self.name_ko, self.name_en = QLineEdit(), QLineEdit(), QLineEdit()
        self.new, self.save = QPushButton(), QPushButton(font=ui_font(13, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
        self.new.clicked.connect(self.start_new)
        self.save.clicked.connect(self.save_category)
        self.printer_note = QLabel(wordWrap=True)
        self.printer_note.setStyleSheet("color:#555;")
        self.labels = {key: QLabel() for key in ("code", "name_ko", "name_en")}
        form = QFormLayout()
        for key, widget in (("code", self.code), ("name_ko", self.name_ko), ("name_en", self.name_en)):
            form.addRow(self.labels[key], widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new)
        buttons.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.printer_note)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([tr("menu_edit.code"), tr("menu_edit.name_ko"), tr("menu_edit.name_en")])
        for key, label in self.labels.items():
            label.setText(tr(f"menu_edit.{key}"))
        self.new.setText(tr("cat.new"))
        self.save.setText(tr("cat.save"))
        self.printer_note.setText(tr("cat.printer_note"))

    def show_categories(self, categories: list[Category]) -> None:
        keep = self.code.text().strip()
        self.categories = list(categories)
        codes = [c.code for c in categories]
        self.table.fill([(c.code, c.name_ko, c.name_en) for c in categories],
                        codes.index(keep) if keep in codes else None)
        if keep not in codes:
            self.start_new()

    def start_new(self) -> None:
        self.table.clearSelection()
        for field in (self.code, self.name_ko, self.name_en):
            field.clear()
        self.code.setEnabled(True)

    def _show_selected(self) -> None:
        if (row := self.table.picked()) is None:
            return
        category = self.categories[row]
        self.code.setText(category.code)
        self.code.setEnabled(False)          # the code is how items name it: rename, never recode
        self.name_ko.setText(category.name_ko)
        self.name_en.setText(category.name_en)

    def save_category(self) -> None:
        if not valid_code(self.code.text().strip()):
            self.message.error_key("menu_edit.bad_code")       # in the manager's language
            return
        if not self.name_ko.text().strip() or not self.name_en.text().strip():
            self.message.error_key("cat.need_names")
            return
        if not self.unlock.manager or (reason := self.unlock.why()) is None:
            if not self.unlock.manager:
                self.message.error(tr("pin.ask"))
            return
        existing = next((c for c in self.categories if c.code == self.code.text().strip()), None)
        try:
            command = SaveCategory(self.code.text().strip(), self.name_ko.text(), self.name_en.text(),
                                   existing.sort if existing else None, staff=self.unlock.manager, reason=reason)
        except ShopError as error:
            self.message.error(error)       # e.g. a badly written code, in the manager's language
            return

        def save():
            self.shop.save_category(command)
            return self.shop.categories()
        self.runner.run(save, lambda categories: self._saved(command, categories), self.message.error)

    def _saved(self, command: SaveCategory, categories: list[Category]) -> None:
        self.show_categories(categories)
        self.changed.emit(categories)
        self.message.info(tr("cat.saved", name=item_name(command.name_ko, command.name_en)), hide_after_ms=8000)
