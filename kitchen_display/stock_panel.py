"""The kitchen's stock list: every item with what is left, and per-item sold out / restock.

Sold out and restock are a manager's actions, as at the counter: each asks for a manager's PIN and why
(``ManagerPinDialog``), and goes to the port as that manager with that reason, which the port audits.
The panel has its own worker so a menu refetch never delays the next ticket fetch on the board.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from screens_common.bridge import ShopEvents
from screens_common.i18n import ItemName, item_name, remember_items, tr, translator
from screens_common.manager_pin import ManagerPinDialog
from screens_common.runner import PortRunner, Refetcher
from screens_common.widgets import MessageBar, ui_font
from services.port import EventRecord, MenuItem, Shop

STOCK_EVENTS = {"StockChecked", "ItemSoldOut", "Restocked", "CookCancelled", "OrderCancelled"}


class StockPanel(QWidget):
    def __init__(self, shop: Shop, events: ShopEvents, message: MessageBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop, self.message = shop, message
        self.runner = PortRunner(self)
        self._menu: list[MenuItem] = []
        self._manager_pin: ManagerPinDialog | None = None
        self.title = QLabel(font=ui_font(16, True))  # type: ignore[call-overload]  # stubs omit inherited font=
        self.stock_list = QListWidget(font=ui_font(13))  # type: ignore[call-arg]  # stubs omit inherited font=
        self.restock_amount = QSpinBox(minimum=1, maximum=10_000, value=10)
        self.sold_out_button, self.restock_button = QPushButton(), QPushButton()
        self.sold_out_button.clicked.connect(self.mark_selected_sold_out)
        self.restock_button.clicked.connect(self.restock_selected)
        self.restock_amount.valueChanged.connect(self.retranslate)
        buttons = QHBoxLayout()
        for widget in (self.sold_out_button, self.restock_amount, self.restock_button):
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.stock_list, 1)
        layout.addLayout(buttons)
        self.fetch = Refetcher(self.runner, lambda: shop.as_of(shop.menu), self._apply_menu, message.error, self)
        events.batch.connect(self._on_batch)
        events.subscribed.connect(self.fetch.request)
        translator.language_changed.connect(self.retranslate)
        self.retranslate()
        self.fetch.request()

    def retranslate(self) -> None:
        self.title.setText(tr("kds.stock"))
        self.sold_out_button.setText(tr("kds.sold_out"))
        self.restock_button.setText(tr("kds.restock", n=self.restock_amount.value()))
        for row, item in enumerate(self._menu):
            self._show(self.stock_list.item(row), item)

    def _on_batch(self, records: list[EventRecord]) -> None:
        if any(r.name in STOCK_EVENTS for r in records):
            self.fetch.request()

    def _apply_menu(self, menu: list[MenuItem]) -> None:
        remember_items(menu)     # coded cancel reasons name items by code
        previous, self._menu = self._menu, menu
        if previous and [i.code for i in previous] == [i.code for i in menu]:
            for row, (old, new) in enumerate(zip(previous, menu, strict=True)):   # patch the few rows that changed
                if old != new:
                    self._show(self.stock_list.item(row), new)
            return
        keep = self.selected_item_code()
        self.stock_list.clear()
        for item in menu:
            entry = QListWidgetItem()
            entry.setData(Qt.ItemDataRole.UserRole, item.code)
            self._show(entry, item)
            self.stock_list.addItem(entry)
            if item.code == keep:
                self.stock_list.setCurrentItem(entry)

    @staticmethod
    def _show(entry: QListWidgetItem, item: MenuItem) -> None:
        left = tr("counter.sold_out") if item.sold_out else str(item.stock)
        entry.setText(f"{item_name(item.name_ko, item.name_en)} — {left}")
        entry.setForeground(Qt.GlobalColor.red if item.sold_out else Qt.GlobalColor.white)

    def selected_item_code(self) -> str | None:
        entry = self.stock_list.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry else None

    def selected_item(self) -> MenuItem | None:
        code = self.selected_item_code()
        return next((item for item in self._menu if item.code == code), None)

    def manager_pin(self) -> ManagerPinDialog:
        """Made on first use: the kitchen takes every widget it has at start off the keyboard (keys go
        to the board), and the PIN must be typed."""
        if self._manager_pin is None:
            self._manager_pin = ManagerPinDialog(self.shop, self)
            self._manager_pin.done_by.connect(lambda who: self.message.info_key("mgr.saved_by", 6000, who=who))
        return self._manager_pin

    def mark_selected_sold_out(self) -> None:
        if (item := self.selected_item()) is None:
            return
        code, shop = item.code, self.shop
        self.manager_pin().ask(lambda who, why: shop.mark_sold_out(code, staff=who, reason=why),
                               "kds.ask_sold_out", item=ItemName(item.name_ko, item.name_en))

    def restock_selected(self) -> None:
        if (item := self.selected_item()) is None:
            return
        code, amount, shop = item.code, self.restock_amount.value(), self.shop
        self.manager_pin().ask(lambda who, why: shop.restock(code, amount, staff=who, reason=why),
                               "kds.ask_restock", item=ItemName(item.name_ko, item.name_en), n=amount)
