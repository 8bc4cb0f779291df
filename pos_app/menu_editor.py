"""The manager's menu editor, behind the manager's PIN: the items (names, price, category, kitchen
printer, on sale or not) on one tab, the categories (pos_app.category_tab) on the other. Past orders
keep their prices (they copied them). Each save goes through the port as the manager whose PIN opened
the editor, with the reason given (audited); hiding the editor locks it again."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QTabWidget, QVBoxLayout, QWidget)

from pos_app.category_tab import CategoryTab, valid_code
from pos_app.manager_unlock import ManagerUnlock
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
        self.items: dict[str, MenuItem] = {}
        self.setFont(ui_font(12))
        self.setMinimumWidth(560)
        self.message = MessageBar()
        self.unlock_box = ManagerUnlock(shop, self.runner, self.message)
        self.unlock_box.unlocked.connect(self._load)
        self.pin, self.unlock = self.unlock_box.pin, self.unlock_box.ok
        self.item = QComboBox()
        self.item.currentIndexChanged.connect(self._show_item)
        self.code, self.name_ko, self.name_en, self.printer = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.price = QSpinBox(minimum=1, maximum=10_000_000, singleStep=500)
        self.price.setGroupSeparatorShown(True)
        self.category = QComboBox()
        self.available = QCheckBox()
        self.save = QPushButton(font=ui_font(13, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
        self.save.clicked.connect(self.save_item)
        self.editor = QWidget()           # the item form
        form = QFormLayout(self.editor)
        self.labels = {key: QLabel() for key in ("code", "name_ko", "name_en", "price", "category", "printer")}
        form.addRow(self.item)
        for key, widget in (("code", self.code), ("name_ko", self.name_ko), ("name_en", self.name_en),
                            ("price", self.price), ("category", self.category), ("printer", self.printer)):
            form.addRow(self.labels[key], widget)
        form.addRow(self.available)
        form.addRow(self.save)
        self.categories_tab = CategoryTab(shop, self.runner, self.unlock_box, self.message)
        self.categories_tab.changed.connect(self._show_categories)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.editor, "")
        self.tabs.addTab(self.categories_tab, "")
        self.tabs.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.unlock_box)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        translator.language_changed.connect(self.retranslate)
        self.retranslate()

    @property
    def manager(self) -> str:
        return self.unlock_box.manager

    def retranslate(self) -> None:
        self.setWindowTitle(tr("menu_edit.title"))
        self.unlock_box.retranslate()
        self.categories_tab.retranslate()
        self.tabs.setTabText(0, tr("menu_edit.tab_items"))
        self.tabs.setTabText(1, tr("menu_edit.tab_categories"))
        for key, label in self.labels.items():
            label.setText(tr(f"menu_edit.{key}"))
        self.available.setText(tr("menu_edit.available"))
        self.save.setText(tr("menu_edit.save"))
        if self.item.count():
            self.item.setItemText(0, tr("menu_edit.new"))

    def check_pin(self) -> None:
        self.unlock_box.check_pin()

    def _load(self, _manager: str) -> None:
        self.runner.run(lambda: (self.shop.menu(), self.shop.categories()), self._unlocked, self.message.error)

    def _unlocked(self, found: tuple[list[MenuItem], list[Category]]) -> None:
        menu, categories = found
        self.items = {item.code: item for item in menu}
        self._show_categories(categories)
        self.categories_tab.show_categories(categories)
        keep = self.item.currentData()
        self.item.blockSignals(True)
        self.item.clear()
        self.item.addItem(tr("menu_edit.new"), "")
        for item in menu:
            self.item.addItem(item_name(item.name_ko, item.name_en), item.code)
        self.item.blockSignals(False)
        self.item.setCurrentIndex(max(0, self.item.findData(keep)) if keep else 0)
        self._show_item()
        self.tabs.setEnabled(True)
        self.editor.setEnabled(True)

    def _show_categories(self, categories: list[Category]) -> None:
        keep = self.category.currentData()
        self.category.clear()
        for category in categories:
            self.category.addItem(item_name(category.name_ko, category.name_en), category.code)
        if keep and (index := self.category.findData(keep)) >= 0:
            self.category.setCurrentIndex(index)

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

    def command(self, reason: str = "") -> SaveMenuItem:
        """The item as entered (raises ShopError naming what is wrong)."""
        return SaveMenuItem(self.code.text().strip(), self.name_ko.text(), self.name_en.text(), self.price.value(),
                            self.category.currentData() or "", self.printer.text(), self.available.isChecked(),
                            staff=self.manager, reason=reason)

    def save_item(self) -> None:
        if not valid_code(self.code.text().strip()):
            self.message.error_key("menu_edit.bad_code")       # in the manager's language
            return
        if not self.name_ko.text().strip() or not self.name_en.text().strip():
            self.message.error_key("menu_edit.need_names")
            return
        if (reason := self.unlock_box.why()) is None:
            return
        try:
            command = self.command(reason)
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

    def hideEvent(self, event) -> None:      # closing locks it: the next manager gives their own PIN
        self.unlock_box.lock()
        self.tabs.setEnabled(False)
        super().hideEvent(event)
