"""Screens judge answers by the feed position they are as of, not by time: a stale answer is dropped,
an answer that predates the screen's own change is asked again, and a kitchen ticket shown from the
feed is not taken away by an answer older than its event."""
from __future__ import annotations

import threading

from screens_common.runner import PortRunner, Refetcher
from services.port import AsOf


def _refetcher(qtbot, answers):
    """A Refetcher whose fetches answer ``answers`` in turn; returns it and what it applied."""
    applied, asked = [], []
    lock = threading.Lock()

    def fetch():
        with lock:
            asked.append(len(asked))
            return answers.pop(0)
    runner = PortRunner()
    refetcher = Refetcher(runner, fetch, applied.append)
    return refetcher, applied, asked


def test_an_answer_older_than_the_one_shown_is_dropped(qtbot):
    refetcher, applied, _ = _refetcher(qtbot, [AsOf(5, "fresh"), AsOf(3, "stale"), AsOf(6, "fresher")])
    for expected in (["fresh"], ["fresh"], ["fresh", "fresher"]):
        refetcher.request()
        qtbot.waitUntil(lambda: refetcher.idle, timeout=60_000)
        assert applied == expected
    assert refetcher.position == 6


def test_an_answer_that_predates_the_screens_own_change_is_asked_again(qtbot):
    refetcher, applied, asked = _refetcher(qtbot, [AsOf(9, "before my bump"), AsOf(10, "after it")])
    refetcher.expect(10)            # the bump is in the feed at or before position 10
    qtbot.waitUntil(lambda: applied == ["after it"], timeout=60_000)
    qtbot.waitUntil(lambda: refetcher.idle, timeout=60_000)
    assert len(asked) == 2 and applied == ["after it"]


def test_answers_not_stamped_are_applied_as_they_come(qtbot):
    refetcher, applied, _ = _refetcher(qtbot, ["a", "b"])
    refetcher.request()
    refetcher.request()             # during the first fetch: one more fetch afterwards, both applied
    qtbot.waitUntil(lambda: applied == ["a", "b"], timeout=60_000)



def test_the_counters_own_changes_are_listed_without_waiting_for_the_feed(qtbot, shop, shop_app):
    """Issue 9 point 2: with the feed quiet (a remote till's stream can lag its commands), an order placed,
    paid and cancelled on this till is still shown as it is: Today's orders asks for an answer as of at
    least the change's position, so no answer from before it can stand in for it."""
    from PySide6.QtCore import Qt

    from tests.gui.conftest import menu_items
    shop.open_day(100_000, "manager")
    counter = shop_app.main.counter
    shop_app.events.stop()                   # no event reaches the screens: only the till's own changes refetch
    (item,) = menu_items(shop, 1)

    def listed():
        return counter.orders.row_at(counter.orders.row_of_key(order_id))

    qtbot.mouseClick(counter.menu_panel.buttons[item.code], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(counter.place, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counter.last_receipt is not None, timeout=60_000)
    order_id = counter.last_receipt.order_id
    qtbot.waitUntil(lambda: listed() is not None and listed().bill_status == "open", timeout=60_000)

    qtbot.waitUntil(lambda: counter.payment_dialog is not None and counter.payment_dialog.isVisible(), timeout=60_000)
    dialog = counter.payment_dialog
    qtbot.mouseClick(dialog.pay, Qt.MouseButton.LeftButton)     # still open: its closing would refetch by itself
    qtbot.waitUntil(lambda: listed().bill_status == "paid", timeout=60_000)

    counter.orders_view.selectRow(counter.orders.row_of_key(order_id))
    qtbot.mouseClick(counter.orders_box.cancel, Qt.MouseButton.LeftButton)
    cancel = counter.orders_box.cancel_dialog
    cancel.typed.setText("changed their mind")
    qtbot.mouseClick(cancel.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: listed().status == "cancelled", timeout=60_000)
