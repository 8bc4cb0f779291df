"""Taking payment for one order: cash (what was handed over, the change shown large), card (recorded:
approval number and last four digits), both at once (a split across tenders), part of the bill per
guest (a split between guests: pay, and the next guest pays the rest), or, for dine-in, later. A
현금영수증 number may be asked for. Every port call goes through the runner, off the GUI thread.

Each payment attempt carries a client_ref made here; pressing "Take payment" again after a failure,
with the same tenders, sends the same ref, so a payment whose answer was lost is never taken twice.
A payment taken whose bill then cannot be read again is shown as taken, with that failure beside it."""
from __future__ import annotations

import dataclasses
import re
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QVBoxLayout)

from pos_app.till_staff import till_staff
from screens_common.fmt import won
from screens_common.i18n import tr, translator
from screens_common.runner import PortRunner
from screens_common.widgets import MessageBar, ui_font, user_message
from services.errors import ShopError
from services.port import BillView, PaymentReceipt, Shop, Tender

MAX_WON = 100_000_000


def _won_box(value: int = 0) -> QSpinBox:
    box = QSpinBox(minimum=0, maximum=MAX_WON, value=value, singleStep=1000)
    box.setGroupSeparatorShown(True)
    box.setMinimumHeight(40)
    return box


class PaymentDialog(QDialog):
    """``paid(receipt)`` after each payment taken; the dialog stays open until the bill is settled, or
    the cashier chooses "pay later" (dine-in) or closes it."""
    paid = Signal(object)

    def __init__(self, shop: Shop, bill: BillView, parent=None) -> None:
        super().__init__(parent)
        self.shop, self.bill = shop, bill
        self.runner = PortRunner(self)
        self.guest_number = 1
        self.last_receipt: PaymentReceipt | None = None
        self._attempt: tuple | None = None     # (what was asked, its client_ref) until it is answered
        self.setFont(ui_font(12))
        self.setMinimumWidth(520)
        self.due_label = QLabel(font=ui_font(18, bold=True), wordWrap=True)  # type: ignore[call-overload]  # stub gap: inherited property
        self.guests = QSpinBox(minimum=1, maximum=20, value=max(1, bill.guests or 1))
        self.guests.valueChanged.connect(self._share_changed)
        self.amount = _won_box()
        self.amount.valueChanged.connect(self._recompute)
        self.cash_part = _won_box()
        self.cash_part.valueChanged.connect(self._recompute)
        self.received = _won_box()
        self.received.valueChanged.connect(self._recompute)
        self.exact = QPushButton()
        self.exact.clicked.connect(lambda: self.received.setValue(self.cash_part.value()))
        self.quick = [QPushButton(f"{won(n)}") for n in (10_000, 50_000)]
        for button, n in zip(self.quick, (10_000, 50_000), strict=True):
            button.clicked.connect(lambda _=False, n=n: self.received.setValue(self.received.value() + n))
        self.card_part = QLabel(font=ui_font(13, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
        self.approval, self.last4 = QLineEdit(), QLineEdit()
        self.last4.setMaxLength(4)
        self.last4.setInputMask("9999")
        self.cash_receipt = QLineEdit()
        self.cash_receipt.setPlaceholderText("010-1234-5678 / 123-45-67890")
        self.change_label = QLabel(font=ui_font(28, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
        self.change_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.change_label.setStyleSheet("color:#1565c0;")
        self.pay = QPushButton(font=ui_font(14, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
        self.later, self.close_dialog = QPushButton(), QPushButton()
        self.pay.setMinimumHeight(52)
        self.pay.setStyleSheet("QPushButton { background:#2e7d32; color:white; border-radius:8px; }"
                               "QPushButton:disabled { background:#9e9e9e; }")
        self.pay.clicked.connect(self.take_payment)
        self.later.clicked.connect(self.accept)
        self.close_dialog.clicked.connect(self.accept)
        self.later.setVisible(bill.order_type == "dine_in")
        self.message = MessageBar()
        self._layout()
        translator.language_changed.connect(self.retranslate)
        self.retranslate()
        self._share_changed()

    def _layout(self) -> None:
        self.split_box, self.cash_box, self.card_box = QGroupBox(), QGroupBox(), QGroupBox()
        split = QFormLayout(self.split_box)
        self.guests_label, self.amount_label = QLabel(), QLabel()
        split.addRow(self.guests_label, self.guests)
        split.addRow(self.amount_label, self.amount)
        cash = QFormLayout(self.cash_box)
        self.cash_part_label, self.received_label = QLabel(), QLabel()
        cash.addRow(self.cash_part_label, self.cash_part)
        quick = QHBoxLayout()
        quick.addWidget(self.received, 2)
        quick.addWidget(self.exact)
        for button in self.quick:
            quick.addWidget(button)
        cash.addRow(self.received_label, quick)
        card = QFormLayout(self.card_box)
        self.approval_label, self.last4_label = QLabel(), QLabel()
        card.addRow(self.card_part)
        card.addRow(self.approval_label, self.approval)
        card.addRow(self.last4_label, self.last4)
        receipt = QFormLayout()
        self.cash_receipt_label = QLabel()
        receipt.addRow(self.cash_receipt_label, self.cash_receipt)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pay, 3)
        buttons.addWidget(self.later, 1)
        buttons.addWidget(self.close_dialog, 1)
        layout = QVBoxLayout(self)
        for widget in (self.due_label, self.split_box, self.cash_box, self.card_box):
            layout.addWidget(widget)
        layout.addLayout(receipt)
        layout.addWidget(self.change_label)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("pay.title", id=self.bill.order_id))
        self.split_box.setTitle(tr("pay.split"))
        self.guests_label.setText(tr("pay.guests"))
        self.amount_label.setText(tr("pay.amount"))
        self.cash_box.setTitle(tr("pay.cash"))
        self.cash_part_label.setText(tr("pay.cash_part"))
        self.received_label.setText(tr("pay.received"))
        self.exact.setText(tr("pay.exact"))
        self.card_box.setTitle(tr("pay.card"))
        self.approval_label.setText(tr("pay.approval"))
        self.last4_label.setText(tr("pay.last4"))
        self.cash_receipt_label.setText(tr("pay.cash_receipt"))
        self.pay.setText(tr("pay.pay"))
        self.later.setText(tr("pay.later"))
        self.close_dialog.setText(tr("pay.close"))
        self._show_due()
        self._recompute()

    # -- what is due, and this payment's parts ------------------------------------------------------
    def _show_due(self) -> None:
        where = f" · {tr('type.table')} {self.bill.table}" if self.bill.table else ""
        self.due_label.setText(tr("pay.due", id=f"{self.bill.order_id}{where}", due=won(self.bill.balance),
                                  total=won(self.bill.total)))
        self.pay.setEnabled(self.bill.balance > 0)

    def _share_changed(self, *_) -> None:
        """This guest's share: the balance over the guests still to pay (the last one pays the rest)."""
        left = max(1, self.guests.value() - self.guest_number + 1)
        share = -(-self.bill.balance // left)
        self.amount.setMaximum(max(self.bill.balance, 0))
        self.amount.setValue(share)
        self.cash_part.setValue(share)

    def _recompute(self, *_) -> None:
        amount = self.amount.value()
        self.cash_part.setMaximum(amount)
        card = amount - self.cash_part.value()
        self.card_part.setText(tr("pay.card_part", amount=won(card)))
        for widget in (self.approval, self.last4):
            widget.setEnabled(card > 0)
        change = self.received.value() - self.cash_part.value()
        if self.received.value() and change >= 0 and self.cash_part.value():
            self.change_label.setText(tr("pay.change", change=won(change)))
        elif self.last_receipt is None:
            self.change_label.setText("")

    def tenders(self) -> list[Tender]:
        """This payment's tenders as the cashier entered them (raises ShopError naming what is wrong)."""
        guest = tr("pay.guest", n=self.guest_number) if self.guests.value() > 1 else ""
        cash, card = self.cash_part.value(), self.amount.value() - self.cash_part.value()
        tenders = []
        if cash:
            tenders.append(Tender("cash", cash, tendered=self.received.value(), guest=guest))
        if card:
            tenders.append(Tender("card", card, approval=self.approval.text().strip(),
                                  last4=self.last4.text().strip(), guest=guest))
        return tenders

    def input_problem(self) -> str:
        """The i18n key of what the cashier must fix first, or "" (checked here, so the words are the
        cashier's language; the port checks the same again)."""
        cash, card = self.cash_part.value(), self.amount.value() - self.cash_part.value()
        if cash + card == 0:
            return "pay.nothing"
        if cash and self.received.value() and self.received.value() < cash:
            return "pay.short"
        if card and not re.fullmatch(r"[0-9A-Za-z]{4,20}", self.approval.text().strip()):
            return "pay.bad_approval"
        if card and not re.fullmatch(r"[0-9]{4}", self.last4.text().strip()):
            return "pay.bad_last4"
        return ""

    def take_payment(self) -> None:
        if not self.pay.isEnabled():
            return
        if problem := self.input_problem():
            self.message.error_key(problem)
            return
        try:
            tenders = self.tenders()
        except ShopError as error:
            self.message.error(error)
            return
        if not tenders:
            self.message.error(tr("pay.nothing"))
            return
        order_id, receipt_number = self.bill.order_id, self.cash_receipt.text().strip()
        client_ref = self.client_ref_for((order_id, tuple(tenders), receipt_number))
        staff = till_staff()
        self.pay.setEnabled(False)

        def pay():
            receipt = self.shop.take_payment(order_id, tenders, receipt_number, staff, client_ref=client_ref)
            try:
                return receipt, self.shop.bill(order_id), None
            except ShopError as error:    # taken all the same: the till must not take it again
                return receipt, None, error
        self.runner.run(pay, self._paid, self._failed)

    def client_ref_for(self, asked: tuple) -> str:
        """This attempt's client_ref: the one the same payment was last sent with, if it was not
        answered (a retry), else a new one."""
        if self._attempt is None or self._attempt[0] != asked:
            self._attempt = (asked, uuid.uuid4().hex)
        return self._attempt[1]

    def _paid(self, result) -> None:
        receipt, bill, refresh_error = result
        self._attempt = None
        self.bill = bill or dataclasses.replace(self.bill, paid=self.bill.total - receipt.balance,
                                                balance=receipt.balance, status=receipt.status)
        self.last_receipt = receipt
        self.change_label.setText(tr("pay.change", change=won(receipt.change)) if receipt.change
                                  else tr("pay.no_change"))
        paid = tr("pay.paid" if receipt.balance == 0 else "pay.part_paid", amount=won(receipt.amount),
                  due=won(receipt.balance))
        if refresh_error is None:
            self.message.info(paid, hide_after_ms=60000)
        else:
            self.message.warning(tr("pay.not_refreshed", paid=paid, error=user_message(refresh_error)))
        self.guest_number += 1
        self.received.setValue(0)
        self.approval.clear()
        self.last4.clear()
        self._show_due()
        self._share_changed()
        self.paid.emit(receipt)

    def _failed(self, error: Exception) -> None:
        self.pay.setEnabled(self.bill.balance > 0)
        self.message.error(error)
