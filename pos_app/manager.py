"""The manager's dialog: set the gift stock and item stock (restock or mark sold out).

Every action asks for a manager's PIN (checked by the port's ``verify_manager_pin``, in every mode) and
takes a short reason; the port records who and why (the shop server's audit, or the embedded shop's
staff-file audit). The PIN is cleared after each action, so the next one asks again."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QVBoxLayout)

from screens_common.bridge import ShopEvents
from screens_common.i18n import item_name, remember_items, tr, translator
from screens_common.manager_pin import ManagerAction, ManagerPinBox
from screens_common.runner import PortRunner, Refetcher
from screens_common.widgets import MessageBar, ui_font
from services.port import EventRecord, GiftStock, MenuItem, Shop


class ManagerDialog(QDialog):
    def __init__(self, shop: Shop, events: ShopEvents, parent=None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.runner = PortRunner(self)
        self.setFont(ui_font(12))
        self.setMinimumWidth(480)
        self.message = MessageBar()

        self.who_box = who_box = ManagerPinBox(shop, self.runner, self.message)   # the kitchen asks with it too
        self.pin, self.reason = who_box.pin, who_box.reason

        self.gift_now = QLabel()
        self.gift_quantity = QSpinBox(minimum=0, maximum=100_000, value=100)
        self.gift_kind = QLineEdit()
        self.set_gift = QPushButton()
        self.set_gift.clicked.connect(self.save_gift_stock)
        self.gift_box = gift_box = QGroupBox()
        gift_form = QFormLayout(gift_box)
        gift_form.addRow(self.gift_now)
        gift_form.addRow(self.gift_quantity, self.gift_kind)
        gift_form.addRow(self.set_gift)

        self.item = QComboBox()
        self.item_quantity = QSpinBox(minimum=1, maximum=10_000, value=20)
        self.add_stock = QPushButton()
        self.add_stock.clicked.connect(self.restock_item)
        self.sold_out = QPushButton()
        self.sold_out.clicked.connect(self.mark_item_sold_out)
        self.item_box = item_box = QGroupBox()
        item_layout = QVBoxLayout(item_box)
        item_layout.addWidget(self.item)
        row = QHBoxLayout()
        for widget in (self.item_quantity, self.add_stock, self.sold_out):
            row.addWidget(widget)
        item_layout.addLayout(row)

        layout = QVBoxLayout(self)
        for part in (who_box, gift_box, item_box, self.message):
            layout.addWidget(part)

        self.gift_fetch = Refetcher(self.runner, lambda: shop.as_of(shop.gift_stock), self._show_gift,
                                    self.message.error, self)
        self.menu_fetch = Refetcher(self.runner, lambda: shop.as_of(shop.menu), self._show_menu,
                                    self.message.error, self)
        events.batch.connect(self._on_batch)
        events.subscribed.connect(self.retranslate)
        translator.language_changed.connect(self.retranslate)
        self.retranslate()     # also fetches gift stock and the menu

    def retranslate(self) -> None:
        self.setWindowTitle(tr("mgr.title"))
        self.who_box.retranslate()
        self.gift_kind.setPlaceholderText(tr("mgr.gift_kind"))
        self.set_gift.setText(tr("mgr.set"))
        self.gift_box.setTitle(tr("mgr.gift"))
        self.item_box.setTitle(tr("mgr.item"))
        self.add_stock.setText(tr("mgr.add"))
        self.sold_out.setText(tr("mgr.sold_out"))
        self.gift_fetch.request()
        self.menu_fetch.request()

    def _on_batch(self, records: list[EventRecord]) -> None:
        names = {r.name for r in records}
        if names & {"GiftStockSet", "GiftSent", "GiftSendCancelled"}:
            self.gift_fetch.request()
        if names & {"Restocked", "ItemSoldOut", "StockChecked", "CookCancelled"}:
            self.menu_fetch.request()

    def _show_gift(self, stock: GiftStock) -> None:
        self.gift_now.setText(tr("mgr.current_gift", kind=stock.kind, n=stock.quantity))

    def _show_menu(self, menu: list[MenuItem]) -> None:
        remember_items(menu)     # coded cancel reasons name items by code
        keep = self.item.currentData()
        self.item.clear()
        for entry in menu:
            self.item.addItem(f"{item_name(entry.name_ko, entry.name_en)} ({entry.stock})", entry.code)
        if keep is not None and (index := self.item.findData(keep)) >= 0:
            self.item.setCurrentIndex(index)

    def _saved(self, manager: str) -> None:
        self.message.info(tr("mgr.saved_by", who=manager), hide_after_ms=4000)

    def _as_manager(self, action: ManagerAction) -> None:
        self.who_box.as_manager(action, self._saved)

    def save_gift_stock(self) -> None:
        quantity, kind = self.gift_quantity.value(), self.gift_kind.text().strip() or None
        self._as_manager(lambda who, why: self.shop.set_gift_stock(quantity, kind, staff=who, reason=why))

    def restock_item(self) -> None:
        code, quantity = self.item.currentData(), self.item_quantity.value()
        if code:
            self._as_manager(lambda who, why: self.shop.restock(code, quantity, staff=who, reason=why))

    def mark_item_sold_out(self) -> None:
        code = self.item.currentData()
        if code:
            self._as_manager(lambda who, why: self.shop.mark_sold_out(code, staff=who, reason=why))
