"""The whole day through the widgets: counter -> kitchen -> delivery -> mypage."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import menu_items


def test_an_order_goes_from_counter_to_kitchen_to_delivery_and_shows_on_mypage(qtbot, shop, shop_app):
    counter, kitchen, main = shop_app.main.counter, shop_app.kitchen, shop_app.main
    first, second = menu_items(shop, 2)

    qtbot.mouseClick(counter.menu_panel.buttons[first.code], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(counter.menu_panel.buttons[first.code], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(counter.menu_panel.buttons[second.code], Qt.MouseButton.LeftButton)
    counter.note.setText("덜 맵게")
    counter.note.editingFinished.emit()
    counter.name.insert("김민수")   # Hangul arrives via the input method, not key codes
    qtbot.keyClicks(counter.phone, "01012345678")
    counter.address.insert("서울시 마포구 1")
    counter.order_type.set_kind("delivery")     # to reach the delivery board
    assert counter.cart.total == first.price * 2 + second.price
    main.activateWindow()                  # Ctrl+Enter is a window shortcut: the counter must be active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
    qtbot.keyClick(counter.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)   # place by keyboard

    qtbot.waitUntil(lambda: counter.last_receipt is not None, timeout=30000)
    receipt = counter.last_receipt
    assert receipt.status == "placed"
    assert f"#{receipt.order_id}" in counter.message.text() and counter.message.kind == "info"
    assert counter.cart.rowCount() == 0
    qtbot.waitUntil(lambda: counter.orders.row_of_key(receipt.order_id) >= 0)

    # kitchen: the ticket arrives with its note, with an alert
    qtbot.waitUntil(lambda: kitchen.model.row_of(receipt.order_id) >= 0, timeout=30000)
    ticket = kitchen.model.tickets()[kitchen.model.row_of(receipt.order_id)]
    assert any(line.note == "덜 맵게" for line in ticket.lines)
    assert kitchen.alerts >= 1
    assert dict(((ko, n) for ko, _, n in kitchen.model.all_day()))[first.name_ko] >= 2
    kitchen.board.setCurrentIndex(kitchen.model.index(kitchen.model.row_of(receipt.order_id), 0))
    kitchen.board.setFocus()
    qtbot.keyClick(kitchen.board, Qt.Key.Key_Space)                                   # start
    qtbot.waitUntil(lambda: _ticket_status(kitchen, receipt.order_id) == "cooking", timeout=30000)
    qtbot.keyClick(kitchen.board, Qt.Key.Key_Return)                                  # bump
    qtbot.waitUntil(lambda: kitchen.model.row_of(receipt.order_id) < 0, timeout=30000)

    # delivery board: waiting -> on the way -> delivered today
    board = main.delivery
    qtbot.waitUntil(lambda: board.waiting.row_of_key(receipt.order_id) >= 0, timeout=30000)
    board.views["waiting"].selectRow(board.waiting.row_of_key(receipt.order_id))
    board.rider.insert("라이더1")
    qtbot.mouseClick(board.pick_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: board.on_the_way.row_of_key(receipt.order_id) >= 0, timeout=30000)
    assert board.on_the_way.row_at(board.on_the_way.row_of_key(receipt.order_id)).rider == "라이더1"
    board.views["on_the_way"].selectRow(board.on_the_way.row_of_key(receipt.order_id))
    qtbot.mouseClick(board.deliver_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: board.delivered.row_of_key(receipt.order_id) >= 0, timeout=30000)

    # mypage by number, then by phone: one card with every stage and the saga's timeline
    mypage = main.mypage
    main.tabs.setCurrentWidget(mypage)
    qtbot.keyClicks(mypage.query, str(receipt.order_id))
    qtbot.keyClick(mypage.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: mypage.card is not None and mypage.card.delivery_status == "delivered", timeout=30000)
    names = [entry.event for entry in mypage.timeline.rows()]
    assert mypage.timeline.data(mypage.timeline.index(0, 1)) == "Ordered"
    for expected in ("Ordered", "StockChecked", "CookStarted", "Cooked", "DeliveryStarted", "PickedUp", "Delivered"):
        assert expected in names
    assert mypage.stage_status[2].text().startswith("delivered")
    mypage.query.clear()
    qtbot.keyClicks(mypage.query, "010-1234-5678")
    qtbot.keyClick(mypage.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: mypage.results.count() >= 1 and mypage.card.order_id == receipt.order_id, timeout=30000)

    qtbot.waitUntil(lambda: _order_status(counter, receipt.order_id) == "delivered", timeout=30000)


def test_mypage_stays_live_while_the_order_moves(qtbot, shop, shop_app):
    from services.commands import OrderLine, PlaceOrder
    (item,) = menu_items(shop, 1)
    receipt = shop.place_order(PlaceOrder((OrderLine(item.code, 1),), customer_name="박지성"))
    mypage = shop_app.main.mypage
    mypage.show_order(receipt.order_id)
    qtbot.waitUntil(lambda: mypage.card is not None, timeout=30000)
    shop.start_cooking(receipt.order_id)
    qtbot.waitUntil(lambda: mypage.card.cook_status == "cooking", timeout=30000)


def _ticket_status(kitchen, order_id: int) -> str:
    row = kitchen.model.row_of(order_id)
    return kitchen.model.tickets()[row].status if row >= 0 else ""


def _order_status(counter, order_id: int) -> str:
    row = counter.orders.row_of_key(order_id)
    return counter.orders.row_at(row).status if row >= 0 else ""


def test_mypage_order_status_follows_the_order_as_todays_orders_does(qtbot, shop, shop_app):
    """Point 7: not "placed" forever: cooking, cooked, delivering, delivered, the same word as the counter's list."""
    from services.commands import OrderLine, PlaceOrder
    (item,) = menu_items(shop, 1)
    order_id = shop.place_order(PlaceOrder((OrderLine(item.code, 1),), customer_name="박지성")).order_id
    main = shop_app.main
    main.tabs.setCurrentWidget(main.mypage)
    main.mypage.show_order(order_id)
    order_stage = main.mypage.stage_status[0]
    qtbot.waitUntil(lambda: order_stage.text() == "placed", timeout=30000)
    for step, word in ((lambda: shop.start_cooking(order_id), "cooking"),
                       (lambda: shop.finish_cooking(order_id), "cooked"),
                       (lambda: shop.pick_up(order_id, "Jung"), "delivering"),
                       (lambda: shop.deliver(order_id), "delivered")):
        step()
        qtbot.waitUntil(lambda: order_stage.text() == word, timeout=30000)
        qtbot.waitUntil(lambda: _order_status(main.counter, order_id) == word, timeout=30000)


def test_after_a_bump_and_a_recall_the_order_is_cooking_and_can_be_cancelled(qtbot, shop, shop_app):
    """Point 8: the rule (cancel until the food is cooked) and what the screens show agree: a recalled
    order is back on the stove, mypage says cooking, and the counter's cancel goes through."""
    from PySide6.QtCore import Qt
    from services.commands import OrderLine, PlaceOrder
    (item,) = menu_items(shop, 1)
    order_id = shop.place_order(PlaceOrder((OrderLine(item.code, 1),))).order_id
    shop.finish_cooking(order_id)
    shop.recall_ticket(order_id)
    main = shop_app.main
    main.tabs.setCurrentWidget(main.mypage)
    main.mypage.show_order(order_id)
    qtbot.waitUntil(lambda: main.mypage.stage_status[1].text() == "cooking", timeout=30000)
    counter = main.counter
    main.tabs.setCurrentWidget(counter)
    qtbot.waitUntil(lambda: counter.orders.row_of_key(order_id) >= 0, timeout=30000)
    counter.orders_view.selectRow(counter.orders.row_of_key(order_id))
    qtbot.mouseClick(counter.cancel, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(counter.cancel_dialog.confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _order_status(counter, order_id) == "cancelled", timeout=30000)
    assert counter.message.kind == "info"
