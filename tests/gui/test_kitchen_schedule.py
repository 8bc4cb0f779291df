"""Scheduled orders on the kitchen display: released at their time, and one due while the shop was
closed on the board at opening, flagged late."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt

from services.commands import OrderLine, PlaceOrder
from tests.gui.conftest import menu_items


def test_a_scheduled_order_reaches_the_kitchen_at_its_time(qtbot, shop, shop_app):
    """Placed at the counter for a few seconds from now; the core releases it then (TicketReleased)."""
    from PySide6.QtCore import QDateTime
    kitchen, counter = shop_app.kitchen, shop_app.main.counter
    (item,) = menu_items(shop, 1)
    qtbot.mouseClick(counter.menu_panel.buttons[item.code], Qt.MouseButton.LeftButton)
    counter.later.setChecked(True)
    # the picker has whole minutes only (nothing hidden behind "HH:mm"): the next minute at least 3 s away
    soon = QDateTime.currentDateTime().addSecs(3)
    soon = soon.addSecs(60 - soon.time().second()).addMSecs(-soon.time().msec())
    counter.later_at.setDateTime(soon)
    release_at = counter.later_at.dateTime().toPython().astimezone()
    assert release_at.second == 0 and release_at.microsecond == 0
    qtbot.mouseClick(counter.place, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counter.last_receipt is not None, timeout=30000)
    assert counter.last_receipt.status == "placed", counter.message.text()
    order_id = counter.last_receipt.order_id
    alerts = kitchen.alerts
    if datetime.now(timezone.utc) < release_at - timedelta(milliseconds=200):
        assert kitchen.model.row_of(order_id) < 0              # not before its time
    qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) >= 0, timeout=90000)
    assert datetime.now(timezone.utc) >= release_at - timedelta(milliseconds=200)
    assert kitchen.alerts > alerts                              # and it raised the new-ticket alert


def test_a_scheduled_order_due_while_the_shop_was_closed_is_on_the_board_at_opening_flagged_late(qtbot, tmp_path):
    """Point 12: not at the first sweep 15 s after opening, and with the late mark on its card."""
    import sqlite3
    import time
    from pos_app.app import build_shop_app
    from services.local import open_local_shop
    path = tmp_path / "closed.sqlite"
    shop = open_local_shop(path, scheduler=False)
    (item,) = menu_items(shop, 1)
    in_an_hour = datetime.now(timezone.utc) + timedelta(hours=1)
    order_id = shop.place_order(PlaceOrder((OrderLine(item.code, 1),), scheduled_for=in_an_hour)).order_id
    shop.close()
    with sqlite3.connect(path) as db:    # the shop stayed closed past the order's time (by an hour)
        db.execute("UPDATE tickets SET release_at = ? WHERE order_id = ?", (time.time() - 3600, order_id))

    opened_at = time.monotonic()
    shop = open_local_shop(path)          # with its scheduler, as the app opens it
    built = build_shop_app(shop, "kitchen", "en")
    try:
        for window in built.windows:
            qtbot.addWidget(window)
        built.show(kitchen_full_screen=False)
        kitchen = built.kitchen
        qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) >= 0, timeout=60000)
        assert time.monotonic() - opened_at < 10, "released at opening, not by the 15 s sweep"
        ticket = kitchen.model.tickets()[kitchen.model.row_of(order_id)]
        assert ticket.late and ticket.status == "queued"
    finally:
        built.close()
        shop.close()
