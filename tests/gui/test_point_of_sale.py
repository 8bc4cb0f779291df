"""The point of sale on the counter, offscreen on a real LocalShop: the order type (remembered), the
payment dialog (cash with change, a split between two guests, a dine-in order paid at the end), the
day opened and closed with a manager's PIN, its Z report shown and exported, the menu editor."""
from __future__ import annotations


import pytest
from PySide6.QtCore import Qt

from tests.gui.conftest import wait_settled

PAID_BY = "kim"     # the till's staff (SIKDANG_STAFF): who a payment, a refund and an opened day are recorded as


@pytest.fixture
def shop(staffed_shop):
    """The staffed shop (demo manager: 9999), its day open."""
    staffed_shop.open_day(100_000, "manager")
    return staffed_shop


def _place(qtbot, counter, code: str, times: int = 1, kind: str = "takeout", table: int = 0, guests: int = 0):
    counter.order_type.set_kind(kind)
    if kind == "dine_in":
        counter.order_type.table.setValue(table)
        counter.order_type.guests.setValue(guests)
    if kind == "delivery":
        counter.address.insert("서울시 마포구 1")
    for _ in range(times):
        qtbot.mouseClick(counter.menu_panel.buttons[code], Qt.MouseButton.LeftButton)
    counter.last_receipt = None
    qtbot.mouseClick(counter.place, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counter.last_receipt is not None, timeout=10000)
    order_id = counter.last_receipt.order_id
    qtbot.waitUntil(lambda: counter.payment_dialog is not None and counter.payment_dialog.bill.order_id == order_id,
                    timeout=10000)
    return order_id, counter.payment_dialog


def test_cash_with_the_change_shown_large(qtbot, shop, shop_app, monkeypatch):
    monkeypatch.delenv("SIKDANG_STAFF", raising=False)                      # the embedded till: "counter"
    counter = shop_app.main.counter
    order_id, dialog = _place(qtbot, counter, "bibimbap", times=2)           # 2 x 9,500
    assert dialog.isVisible() and "₩19,000" in dialog.due_label.text() and not dialog.later.isVisible()
    dialog.received.setValue(50_000)
    assert "₩31,000" in dialog.change_label.text()
    assert dialog.change_label.font().pointSize() >= 24                      # large
    qtbot.mouseClick(dialog.pay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_receipt is not None, timeout=10000)
    assert (dialog.last_receipt.change, dialog.last_receipt.balance) == (31_000, 0)
    assert "₩31,000" in dialog.change_label.text() and not dialog.pay.isEnabled()
    bill = shop.bill(order_id)
    assert [(t.kind, t.amount, t.tendered, t.change, t.staff) for t in bill.tenders] == [
        ("cash", 19_000, 50_000, 31_000, "counter")]                         # who took it: the till's staff


def test_a_split_between_two_guests(qtbot, shop, shop_app):
    counter = shop_app.main.counter
    order_id, dialog = _place(qtbot, counter, "bulgogi", times=2, kind="dine_in", table=4, guests=2)   # 30,000
    assert dialog.guests.value() == 2 and dialog.amount.value() == 15_000
    dialog.cash_part.setValue(0)                                             # guest 1: card
    qtbot.mouseClick(dialog.pay, Qt.MouseButton.LeftButton)                  # no approval number yet
    assert dialog.message.kind == "error" and "approval" in dialog.message.text() and dialog.bill.paid == 0
    dialog.approval.setText("30012345")
    dialog.last4.setText("4242")
    qtbot.mouseClick(dialog.pay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.bill.paid == 15_000, timeout=10000)
    assert dialog.amount.value() == 15_000 and "₩15,000" in dialog.due_label.text()
    dialog.received.setValue(20_000)                                         # guest 2: cash
    qtbot.mouseClick(dialog.pay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.bill.balance == 0, timeout=10000)
    assert "₩5,000" in dialog.change_label.text()
    assert [(t.guest, t.kind, t.amount) for t in shop.bill(order_id).tenders] == [
        ("Guest 1", "card", 15_000), ("Guest 2", "cash", 15_000)]


def test_a_dine_in_order_paid_at_the_end(qtbot, shop, shop_app):
    counter = shop_app.main.counter
    order_id, dialog = _place(qtbot, counter, "kimchi-jjigae", kind="dine_in", table=7)
    assert dialog.later.isVisible()
    qtbot.mouseClick(dialog.later, Qt.MouseButton.LeftButton)                # eat first
    assert not dialog.isVisible()
    wait_settled(qtbot, shop_app)
    row = counter.orders.row_of_key(order_id)
    status = counter.orders.data(counter.orders.index(row, 3))
    assert "Due ₩9,000" in status and "T7" in counter.orders.data(counter.orders.index(row, 0))
    assert order_id in [b.order_id for b in shop.unpaid_bills()]
    counter.orders_view.selectRow(row)                                       # at the end of the meal
    qtbot.mouseClick(counter.orders_box.pay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counter.payment_dialog.bill.order_id == order_id and counter.payment_dialog.isVisible(),
                    timeout=10000)
    dialog = counter.payment_dialog
    dialog.cash_part.setValue(0)
    dialog.approval.setText("77001122")
    dialog.last4.setText("1234")
    qtbot.mouseClick(dialog.pay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.bill.balance == 0, timeout=10000)
    wait_settled(qtbot, shop_app)
    assert order_id not in [b.order_id for b in shop.unpaid_bills()]
    row = counter.orders.row_of_key(order_id)
    assert "Due" not in counter.orders.data(counter.orders.index(row, 3))


def test_the_order_type_is_remembered(qtbot, shop, shop_app):
    from PySide6.QtCore import QSettings

    from pos_app.order_type import OrderTypePicker
    counter = shop_app.main.counter
    _place(qtbot, counter, "gimbap", kind="dine_in", table=3)
    assert counter.order_type.kind() == "dine_in" and counter.order_type.table.value() == 0   # next table's
    assert OrderTypePicker(QSettings("sikdang-pos", "counter")).kind() == "dine_in"         # after a restart
    counter.order_type.set_kind("takeout")
    qtbot.mouseClick(counter.menu_panel.buttons["gimbap"], Qt.MouseButton.LeftButton)
    counter.order_type.set_kind("dine_in")
    counter.place.click()
    assert counter.message.text() == "Choose the table for a dine-in order."


def test_the_day_closes_with_a_manager_pin_and_its_z_report_exports(qtbot, shop, shop_app, tmp_path):
    main = shop_app.main
    dialog = main.open_day_dialog()
    qtbot.waitUntil(lambda: dialog.day is not None, timeout=10000)
    qtbot.mouseClick(dialog.x_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.kind == "X", timeout=10000)
    dialog.counted.setValue(100_000)
    dialog.pin.setText("1111")                                               # a counter's PIN, not a manager's
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.kind == "error", timeout=10000)
    assert "manager" in dialog.message.text() and shop.current_day() is not None
    assert dialog.pin.text() == ""                                           # asked again, not left typed
    dialog.pin.setText("9999")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.kind == "Z", timeout=10000)
    assert dialog.report.closed_by == "manager" and dialog.report.over_short == 0
    # the earlier refusal does not stand beside the Z report: the bar says the day closed
    closed = f"Day {dialog.report.day_id} closed by manager: its Z report is below."
    assert (dialog.message.kind, dialog.message.text()) == ("info", closed)
    assert "Over (+) / short (-)" in dialog.view.toPlainText() and not dialog.close_box.isEnabled()
    assert dialog.export(tmp_path / "z.csv", "csv").read_text(encoding="utf-8-sig").startswith("section,")
    assert dialog.export(tmp_path / "z.pdf", "pdf").read_bytes().startswith(b"%PDF-")


def test_the_menu_editor_opens_with_a_manager_pin_and_saves_a_price(qtbot, shop, shop_app):
    editor = shop_app.main.open_menu_editor()
    assert not editor.editor.isEnabled()
    editor.pin.setText("9999")
    qtbot.mouseClick(editor.unlock, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.editor.isEnabled, timeout=10000)
    editor.item.setCurrentIndex(editor.item.findData("gimbap"))
    editor.price.setValue(5_000)
    qtbot.mouseClick(editor.save, Qt.MouseButton.LeftButton)               # no reason: nothing is saved
    assert editor.message.kind == "error" and next(i for i in shop.menu() if i.code == "gimbap").price != 5_000
    editor.unlock_box.reason.setText("new prices")
    qtbot.mouseClick(editor.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.message.kind == "info", timeout=10000)
    assert next(i for i in shop.menu() if i.code == "gimbap").price == 5_000
    editor.code.setEnabled(True)
    editor.item.setCurrentIndex(0)                                           # a new item, badly coded
    editor.code.setText("Bad Code")
    editor.name_ko.setText("죽")
    editor.name_en.setText("Porridge")
    qtbot.mouseClick(editor.save, Qt.MouseButton.LeftButton)
    assert editor.message.kind == "error" and "lower-case" in editor.message.text()


def test_the_kitchen_card_says_how_the_order_is_eaten(qtbot, shop, shop_app):
    from kitchen_display.ticket_card import type_text
    from services.port import OrderLine, PlaceOrder
    kitchen = shop_app.kitchen
    table = shop.place_order(PlaceOrder((OrderLine("gimbap", 1),), order_type="dine_in", table=9)).order_id
    takeout = shop.place_order(PlaceOrder((OrderLine("gimbap", 1),), order_type="takeout")).order_id
    qtbot.waitUntil(lambda: kitchen.model.row_of(table) >= 0 and kitchen.model.row_of(takeout) >= 0, timeout=10000)
    tickets = {t.order_id: t for t in kitchen.model.tickets()}
    assert type_text(tickets[table]) == "Dine-in · Table 9" and type_text(tickets[takeout]) == "Takeout"
    kitchen.grab()                                   # the card paints with its type line


def test_a_payment_taken_on_the_screen_records_who(qtbot, shop, shop_app, monkeypatch):
    monkeypatch.setenv("SIKDANG_STAFF", PAID_BY)
    order_id, dialog = _place(qtbot, shop_app.main.counter, "gimbap")
    qtbot.mouseClick(dialog.pay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.bill.balance == 0, timeout=10000)
    assert [(t.kind, t.staff) for t in shop.bill(order_id).tenders] == [("cash", PAID_BY)]


def test_cancelling_a_paid_order_from_todays_orders_records_the_refund_with_who_and_why(qtbot, shop, shop_app,
                                                                                       monkeypatch):
    monkeypatch.setenv("SIKDANG_STAFF", PAID_BY)
    counter = shop_app.main.counter
    order_id, dialog = _place(qtbot, counter, "bibimbap")
    qtbot.mouseClick(dialog.pay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.bill.balance == 0, timeout=10000)
    dialog.accept()
    wait_settled(qtbot, shop_app)
    counter.orders_view.selectRow(counter.orders.row_of_key(order_id))
    qtbot.mouseClick(counter.orders_box.cancel, Qt.MouseButton.LeftButton)
    cancel = counter.orders_box.cancel_dialog
    cancel.typed.setText("손님이 메뉴를 바꿈")
    qtbot.mouseClick(cancel.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shop.bill(order_id).status == "cancelled", timeout=10000)
    assert [(r.kind, r.amount, r.staff, r.reason) for r in shop.bill(order_id).refunds] == [
        ("cash", 9_500, PAID_BY, "손님이 메뉴를 바꿈")]                         # not "customer"


def test_the_day_opened_on_the_screen_records_who(qtbot, shop, shop_app, monkeypatch):
    monkeypatch.setenv("SIKDANG_STAFF", PAID_BY)
    shop.close_day(100_000, "manager")
    dialog = shop_app.main.open_day_dialog()
    qtbot.waitUntil(lambda: dialog.open_box.isEnabled(), timeout=10000)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.day is not None, timeout=10000)
    assert shop.current_day().opened_by == PAID_BY


def test_a_cooked_takeout_order_says_call_the_customer(qtbot, shop, shop_app):
    from screens_common.i18n import set_language
    from services.port import OrderLine, PlaceOrder
    counter = shop_app.main.counter
    takeout = shop.place_order(PlaceOrder((OrderLine("gimbap", 1),), order_type="takeout")).order_id
    table = shop.place_order(PlaceOrder((OrderLine("gimbap", 1),), order_type="dine_in", table=2)).order_id
    shop.finish_cooking(takeout)
    shop.finish_cooking(table)
    wait_settled(qtbot, shop_app)

    def status(order_id: int) -> str:
        return counter.orders.data(counter.orders.index(counter.orders.row_of_key(order_id), 3))
    qtbot.waitUntil(lambda: status(takeout).startswith("cooked"), timeout=10000)
    assert "ready — call the customer" in status(takeout) and "call" not in status(table)
    set_language("ko")
    assert "준비 완료 — 호출" in status(takeout)


def test_an_older_closed_days_z_report_is_chosen_shown_and_exported(qtbot, shop, shop_app, tmp_path):
    older = shop.current_day().day_id
    shop.close_day(100_000, "manager")
    shop.open_day(50_000, "manager")
    newer = shop.close_day(60_000, "manager").day_id
    dialog = shop_app.main.open_day_dialog()
    qtbot.waitUntil(lambda: dialog.closed_days.count() == 2, timeout=10000)
    assert dialog.closed_days.currentData() == newer                        # the newest first
    dialog.closed_days.setCurrentIndex(dialog.closed_days.findData(older))
    qtbot.mouseClick(dialog.reprint, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.day_id == older, timeout=10000)
    assert (dialog.report.kind, dialog.report.counted_cash) == ("Z", 100_000)
    rows = dialog.export(tmp_path / "older.csv", "csv").read_text(encoding="utf-8-sig").splitlines()
    assert f"day,day_id,영업일 Day,,{older}" in rows and "cash,counted,실제현금 Cash counted,,100000" in rows
    # the report takes the dialog's height on a 1280x800 till: nothing empty under it
    dialog.resize(900, 760)
    margin = dialog.layout().contentsMargins().bottom()
    qtbot.waitUntil(lambda: dialog.height() - dialog.view.geometry().bottom() - 1 <= margin
                    and dialog.view.height() > 760 - 330, timeout=10000)


def test_the_closed_days_list_speaks_the_readers_language_and_is_never_cut(qtbot, shop, shop_app):
    """The dialog is open (no day closed yet) when the day closes: the list's first label, and its Korean
    one, are read whole (a Korean screen said 'Day 1', then cut its Korean label short)."""
    from PySide6.QtWidgets import QApplication

    from screens_common.i18n import set_language
    dialog = shop_app.main.open_day_dialog()
    dialog.resize(720, dialog.height())                  # as a 1280x800 till opens it
    QApplication.processEvents()
    shop.close_day(100_000, "manager")
    qtbot.waitUntil(lambda: dialog.closed_days.count() == 1, timeout=10000)
    for language in ("en", "ko"):
        set_language(language)
        qtbot.waitUntil(lambda: dialog.closed_days.width() >= dialog.closed_days.sizeHint().width(), timeout=10000)
    assert "영업일" in dialog.closed_days.itemText(0) and "Day" not in dialog.closed_days.itemText(0)
    set_language("en")
    assert dialog.closed_days.itemText(0).startswith("Day ")
