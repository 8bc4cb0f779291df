"""Today's orders on the counter: the list, the selected order's whole note, cancel (asked first) and
the receipt. Port calls go through the counter's runner, off the GUI thread."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QLabel, QPushButton, QTableView,
                               QVBoxLayout)

from pos_app.cancel_dialog import CancelDialog
from pos_app.till_staff import till_staff
from pos_app.order_list import order_label, order_note, order_status
from screens_common.i18n import tr
from screens_common.rows_model import RowsModel
from screens_common.print_actions import print_receipt
from screens_common.printing import receipt_order, receipt_slip
from screens_common.runner import PortRunner
from screens_common.widgets import MessageBar, fit_columns_to_rows, tidy_table
from services.port import OrderSummary, Shop

FITTED = (0, 1, 2)      # number/time, customer/phone, total: sized to every row; the status takes the rest


class TodaysOrders(QGroupBox):
    pay_requested = Signal(int)      # the selected order's number: the counter opens its payment dialog
    changed = Signal()               # an order was changed here (cancelled): the list waits for it

    def __init__(self, shop: Shop, runner: PortRunner, message: MessageBar, orders: RowsModel,
                 receipt_printer=None) -> None:
        super().__init__()
        self.shop, self.runner, self.message, self.orders = shop, runner, message, orders
        self.receipt_printer = receipt_printer
        self.cancel_dialog: CancelDialog | None = None
        self.view = QTableView()
        self.view.setModel(orders)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tidy_table(self.view, stretch_column=3, lines=2, long_list=True)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected_note())
        self.order_note = QLabel(wordWrap=True)       # the selected order's whole reason, never cut off
        self.cancel, self.receipt, self.pay = QPushButton(), QPushButton(), QPushButton()
        self.pay.clicked.connect(self.pay_selected)
        self.cancel.clicked.connect(self.cancel_selected)
        self.receipt.clicked.connect(self.print_selected_receipt)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.order_note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.pay)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.receipt)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        self.setTitle(tr("counter.today"))
        self.cancel.setText(tr("counter.cancel"))
        self.receipt.setText(tr("counter.print"))
        self.pay.setText(tr("pay.button"))
        self.orders.retranslate()
        fit_columns_to_rows(self.view, FITTED, lines=2)
        self._show_selected_note()

    def set_orders(self, orders: list[OrderSummary]) -> None:
        selected = self.selected_order()
        self.orders.set_rows(orders)
        fit_columns_to_rows(self.view, FITTED, lines=2)
        if selected is not None and (row := self.orders.row_of_key(selected.order_id)) >= 0:
            self.view.selectRow(row)
        self._show_selected_note()

    def selected_order(self) -> OrderSummary | None:
        return self.orders.row_at(self.view.currentIndex().row())

    def _show_selected_note(self) -> None:
        order = self.selected_order()
        note = order_note(order, short=False) if order is not None else ""
        shown = f"{order_label(order)} {order_status(order)}: {note}" if order is not None and note else ""
        self.order_note.setText(shown)

    def pay_selected(self) -> None:
        order = self.selected_order()
        if order is None or order.order_id < 0:
            self.message.error(tr("pay.pick_order"))
            return
        self.pay_requested.emit(order.order_id)

    # -- cancel: asked first, with a reason -------------------------------------------------------------
    def cancel_selected(self) -> None:
        order = self.selected_order()
        if order is None:
            self.message.error(tr("counter.pick_order"))
            return
        if order.order_id < 0:               # the server has not got it yet: there is nothing to cancel there
            self.message.error_key("counter.cancel_on_till", till=order.till_number)
            return
        self.cancel_dialog = dialog = CancelDialog(order_label(order), self)
        dialog.accepted.connect(lambda: self._cancel(order, dialog.reason()))
        dialog.open()                        # window-modal, and the event loop keeps running

    def _cancel(self, order: OrderSummary, reason: str) -> None:
        staff = till_staff()     # kept with the refund of a paid order, beside the reason
        def cancelled(_) -> None:
            self.message.info_key("counter.cancelled", id=order.order_id)
            self.changed.emit()
        self.runner.run(lambda: self.shop.cancel_order(order.order_id, reason, staff), cancelled, self.message.error)

    # -- receipt ---------------------------------------------------------------------------------------
    def print_selected_receipt(self) -> None:
        """On the receipt printer when one is set up; else the same 80 mm receipt on the system's printer
        or as a PDF. An order still on this till (offline) prints with its items and its till number."""
        order = self.selected_order()
        if order is None:
            self.message.error(tr("counter.pick_order"))
            return
        desk = self.receipt_printer
        if desk is not None and desk.config.receipt_printer is not None:
            def send():
                if order.order_id < 0:
                    return desk.print_order_receipt(receipt_order(self.shop, order))
                return desk.print_receipt(order.order_id, order.till_number)
            self.runner.run(send, lambda job: self.message.info(tr("counter.receipt_sent", id=order.till_number
                                                                   if order.order_id < 0 else order.order_id,
                                                                   printer=job.printer)),
                            self.message.error)
            return
        details = desk.config.shop if desk is not None else None    # the printers file's [shop], if any
        number = "-".join(part for part in (str(order.order_id) if order.order_id > 0 else "", order.till_number)
                          if part)
        def show(slip) -> None:          # the PDF's path print_receipt answers is not needed here
            print_receipt(slip, number, self, self.message)
        self.runner.run(lambda: receipt_slip(self.shop, order, details), show, self.message.error)
