"""The counter: menu buttons, cart, customer details, place order, today's orders and cancel.

Every port call goes through ``self.runner`` (off the GUI thread); every refresh is triggered by a
shop event through ``ShopEvents``. Slots only read widgets, build a command and hand it over.
"""
from __future__ import annotations

import uuid

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from pos_app.cart_box import CartBox
from pos_app.cart_model import CartModel
from pos_app.customer_form import CustomerForm
from pos_app.menu_panel import MenuPanel
from pos_app.order_list import orders_model
from pos_app.payment_dialog import PaymentDialog
from pos_app.todays_orders import TodaysOrders
from screens_common.bridge import ShopEvents
from screens_common.fmt import won
from screens_common.i18n import ItemName, reason_text, remember_items, tr, translator
from screens_common.runner import PortRunner, Refetcher
from screens_common.widgets import MessageBar, ui_font
from services.commands import PlaceOrder
from services.errors import ShopError
from services.port import ConnectionState, EventRecord, MenuItem, OrderReceipt, OrderSummary, Shop


MENU_EVENTS = {"StockChecked", "ItemSoldOut", "Restocked", "CookCancelled", "OrderCancelled", "MenuItemSaved",
               "MenuCategorySaved"}


class CounterScreen(QWidget):
    def __init__(self, shop: Shop, events: ShopEvents, parent: QWidget | None = None, receipt_printer=None,
                 settings=None) -> None:
        super().__init__(parent)
        self.shop = shop
        # QSettings: the order type used last, remembered across restarts
        self.settings = settings if settings is not None else QSettings("sikdang-pos", "counter")
        self.payment_dialog: PaymentDialog | None = None
        self.receipt_printer = receipt_printer   # a services.printing.PrintService, or None: dialog / PDF
        self.runner = PortRunner(self)
        self.cart = CartModel(self)
        self.orders = orders_model(self)
        self.last_receipt: OrderReceipt | None = None
        self._client_ref = uuid.uuid4().hex
        self._build()
        self.menu_fetch = Refetcher(self.runner, lambda: shop.as_of(shop.menu), self._apply_menu,
                                    self.message.error, self)
        self.orders_fetch = Refetcher(self.runner, lambda: shop.as_of(shop.todays_orders), self._apply_orders,
                                      self.message.error, self)
        # Category names only name the headings: without them (a remote till never yet online) the label serves.
        self.categories_fetch = Refetcher(self.runner, shop.categories, self.menu_panel.set_categories, None, self)
        events.batch.connect(self._on_batch)
        events.subscribed.connect(self.menu_fetch.request)
        events.subscribed.connect(self.orders_fetch.request)
        events.reconnected.connect(self.menu_fetch.request)        # stock is known again
        events.reconnected.connect(self.categories_fetch.request)
        events.connection_changed.connect(self._on_connection)
        self.cart.total_changed.connect(self._show_total)
        self.cart.over_stock.connect(self._over_stock)
        self._told_queued = False          # the message bar says an order waits on this till
        translator.language_changed.connect(self.retranslate)
        self.retranslate()
        self.menu_fetch.request()
        self.categories_fetch.request()
        self.orders_fetch.request()

    # -- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.setFont(ui_font(12))
        self.menu_panel = MenuPanel()
        self.menu_panel.item_chosen.connect(self.add_to_cart)

        self.cart_box = CartBox(self.cart)
        box = self.cart_box                # its widgets by their names, for the screen's tests and scripts
        self.cart_view, self.note, self.note_label = box.view, box.note, box.note_label
        self.plus, self.minus, self.remove = box.plus, box.minus, box.remove

        self.customer_box = CustomerForm(self.settings)
        customer = self.customer_box       # its fields by their names, for the screen's tests and scripts
        self.name, self.phone, self.address = customer.name, customer.phone, customer.address
        self.later, self.later_at, self.order_type = customer.later, customer.later_at, customer.order_type

        self.total_label = QLabel(font=ui_font(20, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
        self.place = QPushButton(font=ui_font(15, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
        self.place.setMinimumHeight(46)
        self.place.setStyleSheet("QPushButton { background:#2e7d32; color:white; border-radius:8px; }"
                                 "QPushButton:disabled { background:#9e9e9e; }")
        self.place.clicked.connect(self.place_order)
        self.clear = QPushButton()
        self.clear.clicked.connect(self.clear_order)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.place_order)  # type: ignore[call-overload]  # stub gap: signal as keyword
        self.message = MessageBar()

        # The order's column gives its height to the cart (four whole lines at 1280x800): the note beside
        # the line's buttons, the customer's rows only those the order type needs, and the message bar
        # in the next column, above Today's orders, where a placed order appears.
        order_column = QVBoxLayout()
        order_column.setContentsMargins(0, 0, 0, 0)
        order_column.addWidget(self.cart_box, 1)
        order_column.addWidget(self.customer_box)
        order_column.addWidget(self.total_label)
        place_row = QHBoxLayout()
        place_row.addWidget(self.place, 3)
        place_row.addWidget(self.clear, 1)
        order_column.addLayout(place_row)
        order_panel = QWidget()
        order_panel.setLayout(order_column)

        self.orders_box = TodaysOrders(self.shop, self.runner, self.message, self.orders, self.receipt_printer)
        self.orders_box.pay_requested.connect(self.open_payment)
        self.orders_box.changed.connect(self.expect_own_change)
        self.orders_view = self.orders_box.view
        self.cancel, self.receipt = self.orders_box.cancel, self.orders_box.receipt
        self.order_note = self.orders_box.order_note
        orders_column = QVBoxLayout()
        orders_column.setContentsMargins(0, 0, 0, 0)
        orders_column.addWidget(self.message)
        orders_column.addWidget(self.orders_box, 1)
        orders_panel = QWidget()
        orders_panel.setLayout(orders_column)

        splitter = QSplitter()
        splitter.addWidget(self.menu_panel)
        splitter.addWidget(order_panel)
        splitter.addWidget(orders_panel)
        splitter.setChildrenCollapsible(False)
        for index, stretch in enumerate((4, 4, 5)):     # the list gets the most: it has the most columns
            splitter.setStretchFactor(index, stretch)
        splitter.setSizes([400, 380, 520])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(splitter)

    def retranslate(self) -> None:
        self.cart_box.retranslate()
        self.customer_box.retranslate()
        self.place.setText(tr("counter.place"))
        self.clear.setText(tr("counter.clear"))
        self.menu_panel.retranslate()
        self.orders_box.retranslate()
        self._show_total(self.cart.total)

    # -- live updates ------------------------------------------------------------------------------
    def _on_batch(self, records: list[EventRecord]) -> None:
        self.orders_fetch.request()
        if any(r.name in MENU_EVENTS for r in records):
            self.menu_fetch.request()
        if any(r.name == "MenuCategorySaved" for r in records):
            self.categories_fetch.request()

    def _on_connection(self, connection) -> None:
        self.orders_fetch.request()          # a queued order sent: its row gets the server's number
        if connection.state is ConnectionState.OFFLINE:
            self.menu_fetch.request()        # the kept menu: stock unknown while the server is away
        if self._told_queued and connection.state is ConnectionState.ONLINE and connection.waiting == 0:
            self._told_queued = False        # "saved on this till" is no longer true: say so
            self.message.info_key("counter.queue_sent", hide_after_ms=15000)

    def _apply_menu(self, menu: list[MenuItem]) -> None:
        remember_items(menu)     # coded cancel reasons name items by code
        self.menu_panel.set_menu(menu)
        self.cart.refresh_items(menu)

    def _apply_orders(self, orders: list[OrderSummary]) -> None:
        self.orders_box.set_orders(orders)

    def expect_own_change(self) -> None:
        """After an order is placed, cancelled or paid here: Today's orders shows no answer from before
        it and fetches one that includes it, without waiting for the feed. The position is read after
        the change (the runner is serial), so it is at or past the change's event. A remote till that
        cannot read it (the server away) just fetches: its queued order is in every answer kept here."""
        self.runner.run(self.shop.latest_position, self.orders_fetch.expect,
                        lambda _: self.orders_fetch.request())

    def _show_total(self, total: int) -> None:
        self.total_label.setText(tr("counter.total", total=won(total)))

    # -- actions -----------------------------------------------------------------------------------
    def add_to_cart(self, item: MenuItem) -> None:
        if item.sold_out:
            return
        row = self.cart.add(item)
        if row >= 0:
            self.cart_view.selectRow(row)

    def _over_stock(self, item: MenuItem) -> None:
        self.message.error_key("counter.only_left", n=item.stock, name=ItemName(item.name_ko, item.name_en))

    def input_problem(self) -> str:
        """The i18n key of what the cashier must fix before the order can go, or "" (checked here, so
        the words are the cashier's language, not the core's English)."""
        if self.cart.rowCount() == 0:
            return "counter.empty"
        return self.customer_box.problem()

    def build_command(self) -> PlaceOrder:
        """Raises InvalidInput with a message for the cashier (empty cart, bad phone, past time...)."""
        return PlaceOrder(lines=self.cart.order_lines(), client_ref=self._client_ref,
                          **self.customer_box.command_fields())

    def place_order(self) -> None:
        if not self.place.isEnabled():
            return                                   # one order at a time: no double submit
        if problem := self.input_problem():
            self.message.error_key(problem)
            return
        try:
            command = self.build_command()
        except ShopError as error:
            self.message.error(error)
            return
        self.place.setEnabled(False)
        self.runner.run(lambda: self.shop.place_order(command), self._placed, self._place_failed)

    def _placed(self, receipt: OrderReceipt) -> None:
        self.place.setEnabled(True)
        self.last_receipt = receipt
        self._client_ref = uuid.uuid4().hex          # the next cart is a new order
        self.expect_own_change()
        if receipt.status == "cancelled":
            self.message.error(tr("counter.refused", id=receipt.order_id, reason=reason_text(receipt.reason)))
            return
        if receipt.status == "queued":  # a remote shop with the server down: kept on this till, sent later
            self.message.info_key("counter.queued", hide_after_ms=600000, till=receipt.till_number,
                                  total=won(receipt.total))
            self._told_queued = True
            self.clear_order(keep_message=True)
            return
        later = self.later.isChecked()
        text = (tr("counter.placed_later", id=receipt.order_id, total=won(receipt.total),
                   at=self.later_at.dateTime().toString("HH:mm")) if later
                else tr("counter.placed", id=receipt.order_id, total=won(receipt.total)))
        if receipt.gift_kind:
            text += " " + tr("counter.gift", gift=receipt.gift_kind)
        elif receipt.gift_status == "deferred":
            text += " " + tr("counter.gift_later")
        elif receipt.gift_status == "out_of_stock":
            text += " " + tr("counter.no_gift")
        self.message.info(text, hide_after_ms=60000)
        self.clear_order(keep_message=True)
        self.order_type.next_order()
        self.open_payment(receipt.order_id)      # pay now; a dine-in order may choose "pay later" there

    def open_payment(self, order_id: int) -> None:
        """The payment dialog for ``order_id``, once its bill is read (off the GUI thread)."""
        self.runner.run(lambda: self.shop.bill(order_id), self._show_payment, self.message.error)

    def _show_payment(self, bill) -> None:
        if bill.balance <= 0:
            self.message.info_key("pay.settled", id=bill.order_id)
            return
        self.payment_dialog = dialog = PaymentDialog(self.shop, bill, self)
        dialog.paid.connect(lambda _receipt: self.expect_own_change())
        dialog.finished.connect(lambda _: self.orders_fetch.request())
        dialog.show()        # not modal: the counter keeps taking orders while a table pays

    def _place_failed(self, error: Exception) -> None:
        self.place.setEnabled(True)
        self.message.error(error)

    def clear_order(self, keep_message: bool = False) -> None:
        self.cart.clear()
        self.note.clear()
        self.customer_box.clear()
        if not keep_message:
            self.message.clear_message()

    # Today's orders lives in its own widget (pos_app/todays_orders.py); these keep the counter's API.
    @property
    def cancel_dialog(self):
        return self.orders_box.cancel_dialog

    def selected_order(self) -> OrderSummary | None:
        return self.orders_box.selected_order()

    def cancel_selected(self) -> None:
        self.orders_box.cancel_selected()

    def print_selected_receipt(self) -> None:
        self.orders_box.print_selected_receipt()
