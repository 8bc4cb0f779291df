"""The payment dialog when the network misbehaves, offscreen on a real LocalShop: a payment whose answer
was lost is sent again with the same client_ref (taken once), and a payment taken whose bill then
cannot be read again is shown as taken, with that failure beside it.

``Unreliable`` stands for the wire between a till and its shop server: every call reaches the real shop;
it only loses what the test tells it to lose (an answer, a bill read), as a dropped connection would."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from services.errors import OutcomeUnknown
from services.port import OrderLine, PlaceOrder
from services.remote.errors import ServerUnreachable


class Unreliable:
    def __init__(self, shop) -> None:
        self.shop = shop
        self.lose_next_payment_answer = False
        self.fail_next_bill_read = False
        self.client_refs: list[str | None] = []

    def take_payment(self, order_id, tenders, cash_receipt="", staff="", client_ref=None):
        self.client_refs.append(client_ref)
        receipt = self.shop.take_payment(order_id, tenders, cash_receipt, staff, client_ref=client_ref)
        if self.lose_next_payment_answer:
            self.lose_next_payment_answer = False
            raise OutcomeUnknown("The shop stopped before answering: this may or may not have been done")
        return receipt

    def bill(self, order_id):
        if self.fail_next_bill_read:
            self.fail_next_bill_read = False
            raise ServerUnreachable("The shop server cannot be reached")
        return self.shop.bill(order_id)

    def __getattr__(self, name):
        return getattr(self.shop, name)


@pytest.fixture
def dialog(qtbot, tmp_path: Path):
    """The dialog for a dine-in order of ₩30,000 split between two guests (₩15,000 each)."""
    from pos_app.payment_dialog import PaymentDialog
    from services.local import open_local_shop
    shop = open_local_shop(tmp_path / "shop.sqlite")
    shop.open_day(0, "manager")
    order = shop.place_order(PlaceOrder(lines=(OrderLine("bulgogi", 2),), order_type="dine_in", table=4, guests=2))
    opened = PaymentDialog(Unreliable(shop), shop.bill(order.order_id))
    qtbot.addWidget(opened)
    opened.show()
    yield opened
    opened.close()
    shop.close()


def _pay_and_wait(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.pay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.runner.busy == 0 and dialog.message.kind != "", timeout=10000)


def test_a_retry_after_a_lost_answer_takes_the_payment_once(qtbot, dialog):
    wire, order_id = dialog.shop, dialog.bill.order_id
    assert dialog.amount.value() == 15_000
    wire.lose_next_payment_answer = True
    _pay_and_wait(qtbot, dialog)                                  # guest 1: taken, but the answer is lost
    assert dialog.message.kind == "error" and dialog.pay.isEnabled() and dialog.last_receipt is None
    _pay_and_wait(qtbot, dialog)                                  # the cashier presses again
    assert dialog.message.kind == "info" and dialog.last_receipt.balance == 15_000
    assert wire.client_refs[0] and wire.client_refs[0] == wire.client_refs[1]
    assert [(t.guest, t.amount) for t in wire.shop.bill(order_id).tenders] == [("Guest 1", 15_000)]
    _pay_and_wait(qtbot, dialog)                                  # guest 2: a new payment, a new ref
    assert wire.client_refs[2] != wire.client_refs[1] and dialog.last_receipt.status == "paid"
    assert [(t.guest, t.amount) for t in wire.shop.bill(order_id).tenders] == [
        ("Guest 1", 15_000), ("Guest 2", 15_000)]


def test_a_payment_taken_whose_bill_cannot_be_read_again_shows_as_taken(qtbot, dialog):
    wire, order_id = dialog.shop, dialog.bill.order_id
    wire.fail_next_bill_read = True
    _pay_and_wait(qtbot, dialog)
    assert dialog.message.kind == "warning"                       # not "error": the payment was taken
    assert "Paid ₩15,000" in dialog.message.text() and "payment is taken" in dialog.message.text()
    assert "cannot be reached" in dialog.message.text() and "do not take it again" in dialog.message.text()
    assert dialog.last_receipt is not None and (dialog.bill.paid, dialog.bill.balance) == (15_000, 15_000)
    assert "₩15,000" in dialog.due_label.text() and dialog.guest_number == 2 and dialog.pay.isEnabled()
    assert [(t.guest, t.amount) for t in wire.shop.bill(order_id).tenders] == [("Guest 1", 15_000)]
