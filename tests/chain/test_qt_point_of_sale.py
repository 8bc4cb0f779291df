"""The point of sale's screens against the chain, unchanged, through its one public port: a counter
signed in as a till places an order through its widgets, the payment dialog (opened at once, while the
payments service may still be hearing of the order) takes cash and shows the change; the day dialog
shows the X report and closes the day with a manager's PIN, its Z report counting that payment.
"""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")
pytest.importorskip("pos_app.app")

from PySide6.QtCore import Qt  # noqa: E402

from services.remote import open_remote_shop  # noqa: E402

WAIT_MS = 60_000    # a busy 2-core machine running a dozen processes
FLOAT = 100_000


@pytest.fixture
def counter_app(running_chain, tmp_path, qtbot, monkeypatch):
    """A till signed in as the counter, on a day opened for this test (the chain is shared by the session)."""
    from pos_app.app import build_shop_app, isolate_settings
    monkeypatch.setenv("SIKDANG_PRINT_DIR", str(tmp_path / "prints"))
    isolate_settings(tmp_path / "settings")
    manager = open_remote_shop(running_chain.url, "manager:9999", queue_path=tmp_path / "manager.sqlite")
    if manager.current_day() is not None:
        manager.close_day(0)
    manager.open_day(FLOAT)
    manager.close()
    shop = open_remote_shop(running_chain.url, "counter:1111", queue_path=tmp_path / "counter.sqlite")
    built = build_shop_app(shop, "counter", "en")
    for window in built.windows:
        qtbot.addWidget(window)
    built.show(kitchen_full_screen=False)
    yield built, shop
    built.close()
    shop.close()


def test_a_till_takes_cash_and_closes_the_day_on_the_chain(qtbot, counter_app):
    built, shop = counter_app
    counter = built.main.counter
    qtbot.waitUntil(lambda: "bibimbap" in counter.menu_panel.buttons, timeout=WAIT_MS)
    counter.order_type.set_kind("takeout")
    for _ in range(2):
        qtbot.mouseClick(counter.menu_panel.buttons["bibimbap"], Qt.MouseButton.LeftButton)   # 2 x 9,500
    qtbot.mouseClick(counter.place, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counter.last_receipt is not None, timeout=WAIT_MS)
    order_id = counter.last_receipt.order_id
    qtbot.waitUntil(lambda: counter.payment_dialog is not None and counter.payment_dialog.bill.order_id == order_id,
                    timeout=WAIT_MS)
    dialog = counter.payment_dialog
    assert "₩19,000" in dialog.due_label.text()
    dialog.received.setValue(50_000)
    assert "₩31,000" in dialog.change_label.text()
    qtbot.mouseClick(dialog.pay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_receipt is not None, timeout=WAIT_MS)
    assert (dialog.last_receipt.change, dialog.last_receipt.balance) == (31_000, 0)
    assert [(t.kind, t.amount, t.change) for t in shop.bill(order_id).tenders] == [("cash", 19_000, 31_000)]

    day = built.main.open_day_dialog()
    qtbot.waitUntil(lambda: day.day is not None, timeout=WAIT_MS)
    qtbot.mouseClick(day.x_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: day.report is not None and day.report.kind == "X", timeout=WAIT_MS)
    assert day.report.cash_sales == 19_000
    day.counted.setValue(FLOAT + 19_000)
    day.pin.setText("9999")                                                  # the manager's PIN closes it
    qtbot.mouseClick(day.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: day.report is not None and day.report.kind == "Z", timeout=WAIT_MS)
    assert (day.report.closed_by, day.report.cash_sales, day.report.over_short) == ("manager", 19_000, 0)
    assert "Over (+) / short (-)" in day.view.toPlainText()
    assert shop.z_report(day.report.day_id) == day.report
    assert shop.current_day() is None
