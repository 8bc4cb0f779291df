"""The manager's menu editor, behind the manager's PIN: pick an item (or a new one), change its names,
price, category, kitchen printer and whether it is on sale. Past orders keep their prices (they
copied them). Each save goes through the port as the manager whose PIN opened the editor."""
from __future__ import annotations

import re

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from screens_common.i18n import item_name, tr, translator
from screens_common.runner import PortRunner
from screens_common.widgets import MessageBar, ui_font
from services.errors import ShopError
from services.port import Category, MenuItem, SaveMenuItem, Shop


class MenuEditor(QDialog):
    def __init__(self, shop: Shop, parent=None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.runner = PortRunner(self)
        self.manager = ""                     # the manager whose PIN unlocked the editor
        self.items: dict[str, MenuItem] = {}
        self.setFont(ui_font(12))
        self.setMinimumWidth(520)
        self.pin, self.unlock = QLineEdit(), QPushButton()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.unlock.clicked.connect(self.check_pin)
        self.pin_label = QLabel()
        self.item = QComboBox()
        self.item.currentIndexChanged.connect(self._show_item)
        self.code, self.name_ko, self.name_en, self.printer = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.price = QSpinBox(minimum=1, maximum=10_000_000, singleStep=500)
        self.price.setGroupSeparatorShown(True)
        self.category = QComboBox()
        self.available = QCheckBox()
        self.save = QPushButton(font=ui_font(13, bold=True))
        self.save.clicked.connect(self.save_item)
        self.message = MessageBar()
        pin_row = QHBoxLayout()
        for widget in (self.pin_label, self.pin, self.unlock):
            pin_row.addWidget(widget)
        self.editor = QWidget()
        form = QFormLayout(self.editor)
        self.labels = {key: QLabel() for key in ("code", "name_ko", "name_en", "price", "category", "printer")}
        form.addRow(self.item)
        for key, widget in (("code", self.code), ("name_ko", self.name_ko), ("name_en", self.name_en),
                            ("price", self.price), ("category", self.category), ("printer", self.printer)):
            form.addRow(self.labels[key], widget)
        form.addRow(self.available)
        form.addRow(self.save)
        self.editor.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(pin_row)
        layout.addWidget(self.editor)
        layout.addWidget(self.message)
        translator.language_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("menu_edit.title"))
        self.pin_label.setText(tr("pin.ask"))
        self.unlock.setText("OK")
        for key, label in self.labels.items():
            label.setText(tr(f"menu_edit.{key}"))
        self.available.setText(tr("menu_edit.available"))
        self.save.setText(tr("menu_edit.save"))
        if self.item.count():
            self.item.setItemText(0, tr("menu_edit.new"))

    def check_pin(self) -> None:
        pin = self.pin.text()
        self.runner.run(lambda: (self.shop.verify_manager_pin(pin), self.shop.menu(), self.shop.categories()),
                        self._unlocked, self.message.error)

    def _unlocked(self, found: tuple[str, list[MenuItem], list[Category]]) -> None:
        self.manager, menu, categories = found
        self.pin.clear()
        self.items = {item.code: item for item in menu}
        self.category.clear()
        for category in categories:
            self.category.addItem(item_name(category.name_ko, category.name_en), category.code)
        keep = self.item.currentData()
        self.item.blockSignals(True)
        self.item.clear()
        self.item.addItem(tr("menu_edit.new"), "")
        for item in menu:
            self.item.addItem(item_name(item.name_ko, item.name_en), item.code)
        self.item.blockSignals(False)
        self.item.setCurrentIndex(max(0, self.item.findData(keep)) if keep else 0)
        self._show_item()
        self.editor.setEnabled(True)

    def _show_item(self, *_) -> None:
        item = self.items.get(self.item.currentData() or "")
        self.code.setEnabled(item is None)
        self.code.setText(item.code if item else "")
        self.name_ko.setText(item.name_ko if item else "")
        self.name_en.setText(item.name_en if item else "")
        self.price.setValue(item.price if item else 1000)
        self.printer.setText(item.printer if item else "")
        self.available.setChecked(item.available if item else True)
        if item and (index := self.category.findData(item.category_code)) >= 0:
            self.category.setCurrentIndex(index)

    def command(self) -> SaveMenuItem:
        """The item as entered (raises ShopError naming what is wrong)."""
        return SaveMenuItem(self.code.text().strip(), self.name_ko.text(), self.name_en.text(), self.price.value(),
                            self.category.currentData() or "", self.printer.text(), self.available.isChecked(),
                            staff=self.manager)

    def save_item(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", self.code.text().strip()):
            self.message.error_key("menu_edit.bad_code")       # in the manager's language
            return
        if not self.name_ko.text().strip() or not self.name_en.text().strip():
            self.message.error_key("menu_edit.need_names")
            return
        try:
            command = self.command()
        except ShopError as error:
            self.message.error(error)
            return

        def save():
            self.shop.save_menu_item(command)
            return self.shop.menu()
        self.runner.run(save, lambda menu: self._saved(command, menu), self.message.error)

    def _saved(self, command: SaveMenuItem, menu: list[MenuItem]) -> None:
        self.items = {item.code: item for item in menu}
        if self.item.findData(command.code) < 0:
            self.item.addItem(item_name(command.name_ko, command.name_en), command.code)
        self.message.info(tr("menu_edit.saved", name=item_name(command.name_ko, command.name_en)), hide_after_ms=8000)
