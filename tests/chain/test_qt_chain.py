"""End to end: the Qt screens against the chain, unchanged, through its one public port (HAProxy ->
gateway -> services). A counter places an order through its widgets; the kitchen display sees the ticket
arrive over the event stream (read from JetStream by the gateway) and bumps it; the delivery service
puts it on the board and mypage shows it cooked. Nothing in the screens knows it is a chain.
"""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")
pytest.importorskip("pos_app.app")

from PySide6.QtCore import Qt  # noqa: E402

from services.errors import UnknownOrder  # noqa: E402
from tests.terminals import counter_and_kitchen  # noqa: E402

WAIT_MS = 60_000    # a busy 2-core machine running a dozen processes


@pytest.fixture
def terminals(running_chain, tmp_path, qtbot, monkeypatch):
    with counter_and_kitchen(running_chain.url, tmp_path, qtbot, monkeypatch) as apps:
        yield apps


def _ticket_status(kitchen, order_id: int) -> str | None:
    row = kitchen.model.row_of(order_id)
    return kitchen.model.tickets()[row].status if row >= 0 else None


def _cook_and_delivery(shop, order_id: int) -> tuple[str, str] | None:
    """Mypage's cook and delivery status; None while mypage has not projected the order yet (its
    consumer may be behind the kitchen's: the contexts hear the stream independently)."""
    try:
        card = shop.mypage(order_id)
    except UnknownOrder:
        return None
    return card.cook_status, card.delivery_status


def test_counter_and_kitchen_screens_run_against_the_chain(qtbot, running_chain, terminals):
    counter_app, kitchen_app, counter_shop = terminals
    counter, kitchen = counter_app.main.counter, kitchen_app.kitchen
    item = next(i for i in counter_shop.menu() if i.stock > 2)
    qtbot.waitUntil(lambda: item.code in counter.menu_panel.buttons, timeout=WAIT_MS)

    qtbot.mouseClick(counter.menu_panel.buttons[item.code], Qt.MouseButton.LeftButton)
    counter.address.insert("서울시 마포구 1")
    counter.order_type.set_kind("delivery")     # a delivery: the saga reaches the delivery service
    qtbot.mouseClick(counter.place, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counter.last_receipt is not None, timeout=WAIT_MS)
    receipt = counter.last_receipt
    assert receipt.status == "placed", "the gateway waited for the kitchen's stock check"

    qtbot.waitUntil(lambda: kitchen.model.row_of(receipt.order_id) >= 0, timeout=WAIT_MS)   # over the stream
    kitchen.board.setCurrentIndex(kitchen.model.index(kitchen.model.row_of(receipt.order_id), 0))
    kitchen.board.setFocus()
    qtbot.keyClick(kitchen.board, Qt.Key.Key_Space)                                         # start
    qtbot.waitUntil(lambda: _ticket_status(kitchen, receipt.order_id) == "cooking", timeout=WAIT_MS)
    qtbot.keyClick(kitchen.board, Qt.Key.Key_Return)                                        # bump
    qtbot.waitUntil(lambda: kitchen.model.row_of(receipt.order_id) < 0, timeout=WAIT_MS)
    # The rest of the saga happens in the delivery and mypage services, from the stream.
    qtbot.waitUntil(lambda: _cook_and_delivery(counter_shop, receipt.order_id) == ("cooked", "waiting"),
                    timeout=WAIT_MS)
    statuses = {o.order_id: o.status for o in counter_shop.todays_orders()}
    assert statuses[receipt.order_id] == "cooked"
