"""The kitchen display on a real shop: keyboard and touch control, recall, a cancel shown struck out,
live tickets, and the window on the screen. Stock: test_kitchen_stock.py; scheduled orders:
test_kitchen_schedule.py."""
from __future__ import annotations


import pytest
from PySide6.QtCore import Qt

from services.commands import OrderLine, PlaceOrder
from tests.gui.conftest import menu_items


def _place(shop, item, quantity: int = 1, **fields):
    return shop.place_order(PlaceOrder((OrderLine(item.code, quantity),), **fields))


def _status(kitchen, order_id: int) -> str:
    row = kitchen.model.row_of(order_id)
    return kitchen.model.tickets()[row].status if row >= 0 else ""


def test_keyboard_selects_starts_bumps_and_recalls(qtbot, shop, shop_app):
    kitchen = shop_app.kitchen
    (item,) = menu_items(shop, 1)
    orders = [_place(shop, item).order_id for _ in range(3)]
    qtbot.waitUntil(lambda: all(kitchen.model.row_of(o) >= 0 for o in orders), timeout=30000)
    kitchen.board.setFocus()

    qtbot.keyClick(kitchen.board, Qt.Key.Key_2)                  # number keys pick a card
    assert kitchen.board.selected_ticket().order_id == orders[1]
    qtbot.keyClick(kitchen.board, Qt.Key.Key_Space)              # Space starts a queued ticket
    qtbot.waitUntil(lambda: _status(kitchen, orders[1]) == "cooking", timeout=30000)
    qtbot.keyClick(kitchen.board, Qt.Key.Key_Space)              # ... and bumps a cooking one
    qtbot.waitUntil(lambda: kitchen.model.row_of(orders[1]) < 0, timeout=30000)

    kitchen.board.setCurrentIndex(kitchen.model.index(0, 0))
    qtbot.keyClick(kitchen.board, Qt.Key.Key_Right)              # arrows move along the cards
    assert kitchen.board.selected_ticket().order_id == orders[2]
    qtbot.keyClick(kitchen.board, Qt.Key.Key_Enter)              # Enter bumps straight away
    qtbot.waitUntil(lambda: kitchen.model.row_of(orders[2]) < 0, timeout=30000)

    qtbot.keyClick(kitchen.board, Qt.Key.Key_R)                  # R recalls the last bumped
    qtbot.waitUntil(lambda: kitchen.model.row_of(orders[2]) >= 0, timeout=30000)
    assert kitchen.bumped == [orders[1]]


def test_touch_buttons_start_and_bump(qtbot, shop, shop_app):
    kitchen = shop_app.kitchen
    (item,) = menu_items(shop, 1)
    order_id = _place(shop, item).order_id
    qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) >= 0, timeout=30000)
    kitchen.board.setCurrentIndex(kitchen.model.index(kitchen.model.row_of(order_id), 0))
    qtbot.mouseClick(kitchen.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _status(kitchen, order_id) == "cooking", timeout=30000)
    qtbot.mouseClick(kitchen.bump_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) < 0, timeout=30000)


def test_a_cancelled_ticket_is_struck_out_before_it_leaves(qtbot, shop, shop_app):
    kitchen = shop_app.kitchen
    kitchen.model.linger_s = 0.6
    (item,) = menu_items(shop, 1)
    order_id = _place(shop, item).order_id
    qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) >= 0, timeout=30000)

    counter = shop_app.main.counter
    qtbot.waitUntil(lambda: counter.orders.row_of_key(order_id) >= 0, timeout=30000)
    counter.orders_view.selectRow(counter.orders.row_of_key(order_id))
    qtbot.mouseClick(counter.cancel, Qt.MouseButton.LeftButton)
    counter.cancel_dialog.typed.insert("손님 요청")   # Hangul comes from an input method, not key codes
    qtbot.mouseClick(counter.cancel_dialog.confirm, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: _status(kitchen, order_id) == "cancelled", timeout=30000)
    assert str(order_id) in kitchen.message.text()
    qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) < 0, timeout=30000)
    qtbot.waitUntil(lambda: counter.orders.row_at(counter.orders.row_of_key(order_id)).status == "cancelled",
                    timeout=30000)


def test_cancel_after_cooking_is_refused_with_the_reason_shown(qtbot, shop, shop_app):
    (item,) = menu_items(shop, 1)
    order_id = _place(shop, item).order_id
    shop.start_cooking(order_id)
    shop.finish_cooking(order_id)
    counter = shop_app.main.counter
    qtbot.waitUntil(lambda: counter.orders.row_of_key(order_id) >= 0, timeout=30000)
    counter.orders_view.selectRow(counter.orders.row_of_key(order_id))
    qtbot.mouseClick(counter.cancel, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(counter.cancel_dialog.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: counter.message.kind == "error", timeout=30000)
    assert counter.message.text() and "Traceback" not in counter.message.text()


def test_timer_colour_thresholds_are_configurable_and_kept(qtbot, shop, shop_app):
    from kitchen_display.ticket_card import AGE_COLOURS
    kitchen = shop_app.kitchen
    kitchen.warn_minutes.setValue(1)
    kitchen.late_minutes.setValue(2)
    assert kitchen.thresholds.colour(30) == AGE_COLOURS[0]
    assert kitchen.thresholds.colour(90) == AGE_COLOURS[1]
    assert kitchen.thresholds.colour(150) == AGE_COLOURS[2]
    from kitchen_display.window import KitchenDisplay
    again = KitchenDisplay(shop, shop_app.events)        # a restarted wall display
    qtbot.addWidget(again)
    assert again.thresholds.warn_s == 60 and again.thresholds.late_s == 120


def test_recall_after_pickup_is_refused_with_a_message(qtbot, shop, shop_app):
    kitchen = shop_app.kitchen
    (item,) = menu_items(shop, 1)
    order_id = _place(shop, item).order_id
    qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) >= 0, timeout=30000)
    kitchen.bump(order_id)
    qtbot.waitUntil(lambda: kitchen.bumped == [order_id], timeout=30000)
    shop.pick_up(order_id, "rider")
    qtbot.mouseClick(kitchen.recall_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kitchen.message.kind == "error", timeout=30000)
    assert kitchen.model.row_of(order_id) < 0


def test_the_kitchen_names_the_open_shop(qtbot, shop, shop_app):
    qtbot.waitUntil(lambda: shop.describe() in shop_app.kitchen.shop_sign.text(), timeout=30000)


def test_double_tap_starts_then_bumps(qtbot, shop, shop_app):
    kitchen = shop_app.kitchen
    (item,) = menu_items(shop, 1)
    order_id = _place(shop, item).order_id
    qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) >= 0, timeout=30000)
    rect = kitchen.board.visualRect(kitchen.model.index(kitchen.model.row_of(order_id), 0))
    qtbot.mouseClick(kitchen.board.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(kitchen.board.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: _status(kitchen, order_id) == "cooking", timeout=30000)
    rect = kitchen.board.visualRect(kitchen.model.index(kitchen.model.row_of(order_id), 0))
    qtbot.mouseDClick(kitchen.board.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) < 0, timeout=30000)


def test_recall_without_a_local_bump_takes_the_latest_cooked_order_still_waiting(qtbot, shop, shop_app):
    kitchen = shop_app.kitchen
    (item,) = menu_items(shop, 1)
    older, newer = _place(shop, item).order_id, _place(shop, item).order_id
    for order_id in (older, newer):                  # bumped elsewhere (another display, before a restart)
        shop.finish_cooking(order_id)
    qtbot.waitUntil(lambda: kitchen.model.row_of(newer) < 0 and kitchen.model.row_of(older) < 0, timeout=30000)
    assert kitchen.bumped == []
    kitchen.board.setFocus()
    qtbot.keyClick(kitchen.board, Qt.Key.Key_R)
    # settled: the recall's refetch has landed (a fetch begun before the bumps may land first, briefly)
    qtbot.waitUntil(lambda: kitchen.model.row_of(newer) >= 0 and kitchen.tickets.idle, timeout=30000)
    qtbot.waitUntil(lambda: kitchen.model.row_of(older) < 0, timeout=30000)
    assert [t.order_id for t in shop.kitchen_tickets()] == [newer]


def test_a_new_ticket_shown_from_the_feed_is_exactly_what_the_shop_reports(qtbot, shop, shop_app):
    """The display shows a new ticket from the Ordered + StockChecked events before its refetch;
    the refetch must then find nothing to correct (no reset, no changed row)."""
    kitchen = shop_app.kitchen
    first, second = menu_items(shop, 2)
    resets, changed = [], []
    kitchen.model.modelReset.connect(lambda: resets.append(1))
    kitchen.model.dataChanged.connect(lambda top, bottom, roles: changed.append(top.row()))
    receipt = shop.place_order(PlaceOrder((OrderLine(first.code, 2, "맵게"), OrderLine(second.code, 1)),
                                          customer_name="김민수"))
    qtbot.waitUntil(lambda: kitchen.model.row_of(receipt.order_id) >= 0, timeout=30000)
    qtbot.waitUntil(lambda: kitchen.tickets.idle and receipt.order_id not in kitchen.model._provisional,
                    timeout=30000)
    shown = kitchen.model.tickets()[kitchen.model.row_of(receipt.order_id)]
    assert shown == next(t for t in shop.kitchen_tickets() if t.order_id == receipt.order_id)
    assert resets == [] and changed == []


def test_keys_reach_the_board_after_the_threshold_boxes_and_the_stock_list_are_touched(qtbot, shop, shop_app):
    """Point 12: touching the Amber/Red boxes or the stock list never takes Space and Enter away."""
    from PySide6.QtWidgets import QApplication
    kitchen = shop_app.kitchen
    (item,) = menu_items(shop, 1)
    order_id = _place(shop, item).order_id
    qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) >= 0, timeout=30000)
    kitchen.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is kitchen, timeout=30000)
    for touched in (kitchen.warn_minutes, kitchen.late_minutes, kitchen.stock.stock_list, kitchen.all_day):
        qtbot.mouseClick(touched, Qt.MouseButton.LeftButton)
        assert QApplication.focusWidget() is kitchen.board, f"{type(touched).__name__} took the keys"
    kitchen.warn_minutes.stepUp()
    kitchen.board.setCurrentIndex(kitchen.model.index(kitchen.model.row_of(order_id), 0))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _status(kitchen, order_id) == "cooking", timeout=30000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) < 0, timeout=30000)


def test_a_cards_key_stays_the_same_when_another_ticket_is_bumped(qtbot, shop, shop_app):
    """Point 12: [n] is a stable handle: bumping [1] leaves [2] and [3] where the cook read them."""
    from kitchen_display.ticket_model import SlotRole
    kitchen = shop_app.kitchen
    (item,) = menu_items(shop, 1)
    orders = [_place(shop, item).order_id for _ in range(3)]
    qtbot.waitUntil(lambda: all(kitchen.model.row_of(o) >= 0 for o in orders), timeout=30000)
    before = {o: kitchen.model.slot_of(o) for o in orders}
    assert sorted(before.values()) == [1, 2, 3]
    shop.finish_cooking(orders[0])
    qtbot.waitUntil(lambda: kitchen.model.row_of(orders[0]) < 0, timeout=30000)
    assert {o: kitchen.model.slot_of(o) for o in orders[1:]} == {o: before[o] for o in orders[1:]}
    kitchen.board.setFocus()
    qtbot.keyClick(kitchen.board, Qt.Key.Key_0 + before[orders[2]])
    assert kitchen.board.selected_ticket().order_id == orders[2]
    index = kitchen.model.index(kitchen.model.row_of(orders[2]), 0)
    assert index.data(SlotRole) == before[orders[2]]
    newcomer = _place(shop, item).order_id                       # takes the freed key, nobody else moves
    qtbot.waitUntil(lambda: kitchen.model.row_of(newcomer) >= 0, timeout=30000)
    assert kitchen.model.slot_of(newcomer) == before[orders[0]]


def test_every_window_opens_inside_the_screen_and_fits_a_1280_by_800_one(qtbot, shop, shop_app):
    """Point 13: sized to the screen it opens on, never past its edge (this offscreen screen is smaller
    than a till's: where a window cannot shrink that far, it must still fit 1280x800 in both languages)."""
    from screens_common.i18n import set_language
    qtbot.waitUntil(lambda: shop_app.kitchen.shop_label != "", timeout=30000)     # the long path is shown
    for language in ("en", "ko"):
        set_language(language)
        for window in shop_app.windows:
            smallest = window.minimumSizeHint()
            assert smallest.width() <= 1280 and smallest.height() <= 800, (language, window.windowTitle(), smallest)
    for window in shop_app.windows:
        available, frame = window.screen().availableGeometry(), window.frameGeometry()
        if window.minimumSizeHint().width() <= available.width():
            assert available.left() <= frame.left() and frame.right() <= available.right(), window.windowTitle()
        if window.minimumSizeHint().height() <= available.height():
            assert available.top() <= frame.top() and frame.bottom() <= available.bottom(), window.windowTitle()


@pytest.mark.parametrize("screen", ["kitchen", "all"])
def test_the_kitchen_opens_full_screen_alone_and_maximized_beside_the_counter(qtbot, shop, screen):
    """Point 13: ``--screen kitchen`` is the wall display, full screen (README); the kitchen window of a
    plain run is sized to the screen's available area, never past its edge. Shown as run_gui shows it."""
    from pos_app.app import build_shop_app
    built = build_shop_app(shop, screen, "en")
    try:
        for window in built.windows:
            qtbot.addWidget(window)
        built.show()
        kitchen = built.kitchen
        qtbot.waitUntil(kitchen.isVisible, timeout=30000)
        if screen == "kitchen":
            assert kitchen.isFullScreen()
            qtbot.waitUntil(lambda: kitchen.frameGeometry() == kitchen.screen().geometry(), timeout=30000)
        else:
            assert kitchen.isMaximized() and not kitchen.isFullScreen()
            available = kitchen.screen().availableGeometry()
            qtbot.waitUntil(lambda: kitchen.frameGeometry() == available, timeout=30000)
    finally:
        built.close()


def test_the_kitchen_says_why_a_ticket_was_cancelled(qtbot, shop, shop_app):
    """Point 5: the cancel reason is shown, in the reader's language for a code."""
    kitchen = shop_app.kitchen
    (item,) = menu_items(shop, 1)
    typed, coded = _place(shop, item).order_id, _place(shop, item).order_id
    qtbot.waitUntil(lambda: kitchen.model.row_of(coded) >= 0, timeout=30000)
    shop.cancel_order(typed, "재료 소진")
    qtbot.waitUntil(lambda: kitchen.message.text() == f"Ticket #{typed} cancelled: 재료 소진", timeout=30000)
    shop.cancel_order(coded, "")
    qtbot.waitUntil(lambda: kitchen.message.text() == f"Ticket #{coded} cancelled: Customer's request", timeout=30000)
