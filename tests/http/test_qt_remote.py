"""End to end: the Qt screens against a real shop server, as two terminals on loopback.

A counter (signed in as counter) places an order through its widgets; a kitchen display (signed in as
kitchen, another RemoteShop) sees the ticket arrive over the event stream and bumps it; the counter's
order list follows. Nothing in the screens knows it is remote.
"""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")
pytest.importorskip("pos_app.app")

from PySide6.QtCore import Qt  # noqa: E402

from services.remote import open_remote_shop  # noqa: E402


@pytest.fixture
def terminals(served, tmp_path, qtbot, monkeypatch):
    from pos_app.app import build_shop_app, isolate_settings
    from screens_common.i18n import set_language
    monkeypatch.setenv("SIKDANG_PRINT_DIR", str(tmp_path / "prints"))
    isolate_settings(tmp_path / "settings")
    counter_shop = open_remote_shop(served.url, "counter:1111", queue_path=tmp_path / "counter.sqlite")
    kitchen_shop = open_remote_shop(served.url, "kitchen:2222", queue_path=tmp_path / "kitchen.sqlite")
    counter_app = build_shop_app(counter_shop, "counter", "en")
    kitchen_app = build_shop_app(kitchen_shop, "kitchen", "en")
    for built in (counter_app, kitchen_app):
        for window in built.windows:
            qtbot.addWidget(window)
        built.show(kitchen_full_screen=False)
    yield counter_app, kitchen_app, counter_shop
    for built in (counter_app, kitchen_app):
        built.close()
    counter_shop.close()
    kitchen_shop.close()
    set_language("en")


def _ticket_status(kitchen, order_id: int) -> str | None:
    row = kitchen.model.row_of(order_id)
    return kitchen.model.tickets()[row].status if row >= 0 else None


def test_counter_and_kitchen_screens_run_against_a_real_server(qtbot, served, terminals):
    counter_app, kitchen_app, counter_shop = terminals
    counter, kitchen = counter_app.main.counter, kitchen_app.kitchen
    item = next(i for i in counter_shop.menu() if i.stock > 2)
    qtbot.waitUntil(lambda: item.code in counter.menu_panel.buttons, timeout=10000)

    qtbot.mouseClick(counter.menu_panel.buttons[item.code], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(counter.place, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counter.last_receipt is not None, timeout=10000)
    receipt = counter.last_receipt
    assert receipt.status == "placed" and receipt.client_ref, "the remote shop gives every order a client id"
    assert served.shop.mypage(receipt.order_id).order_status == "placed", "the order is on the server"

    qtbot.waitUntil(lambda: kitchen.model.row_of(receipt.order_id) >= 0, timeout=10000)   # over the stream
    kitchen.board.setCurrentIndex(kitchen.model.index(kitchen.model.row_of(receipt.order_id), 0))
    kitchen.board.setFocus()
    qtbot.keyClick(kitchen.board, Qt.Key.Key_Space)                                      # start
    qtbot.waitUntil(lambda: _ticket_status(kitchen, receipt.order_id) == "cooking", timeout=10000)
    qtbot.keyClick(kitchen.board, Qt.Key.Key_Return)                                     # bump
    qtbot.waitUntil(lambda: kitchen.model.row_of(receipt.order_id) < 0, timeout=10000)
    assert served.shop.mypage(receipt.order_id).cook_status == "cooked"


def test_the_counter_screen_keeps_taking_orders_while_the_server_is_down(qtbot, served, terminals):
    counter_app, _, counter_shop = terminals
    counter = counter_app.main.counter
    item = next(i for i in counter_shop.menu() if i.stock > 2)
    qtbot.waitUntil(lambda: item.code in counter.menu_panel.buttons, timeout=10000)
    before = len(served.shop.todays_orders())
    served.stop()
    qtbot.mouseClick(counter.menu_panel.buttons[item.code], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(counter.place, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counter.last_receipt is not None, timeout=10000)
    assert counter.last_receipt.status == "queued"
    assert counter_shop.connection_status() == "offline — 1 waiting"
    sign = counter_app.main.connection_sign
    qtbot.waitUntil(lambda: sign.isVisible() and sign.text() == "Offline — 1 waiting", timeout=5000)
    served.start()
    qtbot.waitUntil(lambda: counter_shop.connection_status() == "online", timeout=10000)
    qtbot.waitUntil(lambda: sign.text() == "Server: online", timeout=5000)
    assert len(served.shop.todays_orders()) == before + 1
