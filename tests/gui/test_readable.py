"""Point 5: nothing cut off at 1280x800, in English and in Korean. Measured, not looked at: every cell's
text (each of its lines) against its column's width with the view's own font metrics, every header too."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLineEdit, QStyle, QTableView

from services.commands import OrderLine, PlaceOrder
from tests.gui.conftest import wait_settled

LONGEST_CUSTOMER = "Alexandra Kowalczyk-Kim"


def _a_busy_day(shop) -> None:
    """Every status Today's orders and the delivery board can show, with long names and reasons."""
    menu = sorted((i for i in shop.menu() if i.stock >= 3), key=lambda i: -len(i.name_en))
    long_item = menu[0]
    shop.restock(long_item.code, 50)

    def order(**extra):
        lines = (OrderLine(long_item.code, 1, note="맵지 않게, 김 빼고, 소스 따로 주세요"),)
        return shop.place_order(PlaceOrder(lines, customer_name=LONGEST_CUSTOMER, phone="010-1234-5678",
                                           address="서울특별시 강남구 테헤란로 427 위워크타워 10층", **extra)).order_id
    placed, cooking, cooked, picked, delivered, cancelled, typed = (order() for _ in range(7))
    order(scheduled_for=datetime.now(timezone.utc) + timedelta(hours=2))
    shop.start_cooking(cooking)
    for done in (cooked, picked, delivered):
        shop.finish_cooking(done)
    shop.pick_up(picked, "Bartholomew Park")
    shop.pick_up(delivered, "Bartholomew Park")
    shop.deliver(delivered)
    shop.cancel_order(cancelled, "")                                   # the default reason, a code
    shop.cancel_order(typed, "손님이 다른 지점에서 주문했다고 함")      # typed: kept as typed


def _text_margin(view: QTableView) -> int:
    style = view.style()
    return 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)


def cut_off(view: QTableView) -> list[str]:
    """Cells and headers whose text (any line of it) is wider than its column."""
    model, header = view.model(), view.horizontalHeader()
    cells, heads = QFontMetrics(view.font()), QFontMetrics(header.font())
    margin = _text_margin(view)
    found = []
    for column in range(model.columnCount()):
        if view.isColumnHidden(column):
            continue
        width = header.sectionSize(column)
        title = str(model.headerData(column, header.orientation()) or "")
        if heads.horizontalAdvance(title) + 2 * margin > width:
            found.append(f"header {title!r} in {width}px")
        for row in range(model.rowCount()):
            for line in str(model.index(row, column).data() or "").split("\n"):
                if cells.horizontalAdvance(line) + margin > width:
                    found.append(f"{line!r} in {width}px (needs {cells.horizontalAdvance(line) + margin})")
    lines_per_row = max((str(model.index(r, c).data() or "").count("\n") + 1
                         for r in range(model.rowCount()) for c in range(model.columnCount())), default=1)
    if model.rowCount() and view.verticalHeader().defaultSectionSize() < cells.lineSpacing() * lines_per_row:
        found.append(f"rows of {lines_per_row} lines in {view.verticalHeader().defaultSectionSize()}px")
    return found


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_no_column_is_cut_off_in_either_language(qtbot, shop, shop_app, language, size):
    from screens_common.i18n import set_language
    _a_busy_day(shop)
    main = shop_app.main
    main.resize(*size)
    set_language(language)
    wait_settled(qtbot, shop_app)
    counter = main.counter
    qtbot.waitUntil(lambda: counter.orders.rowCount() == 8, timeout=30000)
    item = next(iter(counter.menu_panel.buttons.values())).item
    counter.add_to_cart(max((b.item for b in counter.menu_panel.buttons.values()), key=lambda i: len(i.name_en)))
    counter.add_to_cart(item)
    views = {"today's orders": counter.orders_view, "cart": counter.cart_view}
    for tab in (main.counter, main.delivery):
        main.tabs.setCurrentWidget(tab)
        QApplication.processEvents()
        wait_settled(qtbot, shop_app)
        if tab is main.delivery:
            views.update({f"delivery {name}": view for name, view in main.delivery.views.items()})
        if tab is main.counter:
            for button in counter.menu_panel.buttons.values():
                metrics, room = QFontMetrics(button.font()), button.width() - 2 * (6 + 3)   # padding, border
                wide = [line for line in button.text().split("\n") if metrics.horizontalAdvance(line) > room]
                assert not wide, f"menu button {wide} in {room}px at {size} in {language}"
                assert button.height() >= metrics.lineSpacing() * (button.text().count("\n") + 1)
            for field in counter.findChildren(QLineEdit):             # a hint is read whole or not at all
                hint, room = field.placeholderText(), field.width() - 12  # frame and text margins
                if field.isVisible() and hint:
                    needs = QFontMetrics(field.font()).horizontalAdvance(hint)
                    assert needs <= room, f"placeholder {hint!r} needs {needs}px in {room}px at {size} in {language}"
        for name, view in views.items():
            if view.isVisible():
                problems = cut_off(view)
                assert not problems, f"{name} at {size} in {language}: " + "; ".join(problems)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_cart_shows_four_whole_lines_at_1280_by_800_whatever_the_order_type(qtbot, shop, shop_app, language):
    """Point 5: the cart showed one line and a sliver. Rows of two lines (the item and its note), measured
    against the cart's viewport (not looked at), with the customer's rows each order type shows."""
    from screens_common.i18n import set_language
    main, counter = shop_app.main, shop_app.main.counter
    main.resize(1280, 800)
    set_language(language)
    wait_settled(qtbot, shop_app)
    items = [b.item for b in counter.menu_panel.buttons.values() if not b.item.sold_out][:6]
    for item in items:
        counter.add_to_cart(item)
        counter.note.setText("덜 맵게, 김 빼고" if language == "ko" else "less spicy, no seaweed")
        counter.note.editingFinished.emit()
    view, cart = counter.cart_view, counter.cart
    assert cart.rowCount() == 6 and all("\n" in cart.index(r, 0).data() for r in range(6))
    for kind in ("takeout", "dine_in", "delivery"):
        counter.order_type.set_kind(kind)

        def whole_rows() -> list[int]:        # measured once the layout has settled, however many passes
            view.scrollToTop()
            viewport = view.viewport().rect()
            return [r for r in range(cart.rowCount()) if viewport.contains(view.visualRect(cart.index(r, 0)))]
        qtbot.waitUntil(lambda: len(whole_rows()) >= 4, timeout=10000)
        for widget in (counter.place, counter.clear, counter.total_label, counter.later_at, counter.note,
                       counter.name, counter.phone):
            assert widget.isVisible() and widget.height() >= widget.minimumSizeHint().height(), (kind, widget)
        assert counter.address.isVisible() == (kind == "delivery")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_dish_name_fits_a_kitchen_card_wrapped_never_cut(qtbot, shop, shop_app, language):
    from PySide6.QtCore import QRect

    from kitchen_display.ticket_card import CARD_SIZE, WRAP, line_text
    from screens_common.i18n import set_language
    from services.port import TicketLine
    set_language(language)
    metrics = QFontMetrics(shop_app.kitchen.delegate._line_font)
    width = CARD_SIZE.width() - 12 - 20          # the card's inset and its text margins (see paint)
    for item in shop.menu():
        text = line_text(TicketLine(item.code, item.name_ko, item.name_en, 10))
        used = metrics.boundingRect(QRect(0, 0, width, 1000), WRAP, text)
        lines = 2 if language == "ko" else 3     # English shows the Korean name as well
        assert used.width() <= width and used.height() <= lines * metrics.lineSpacing(), (language, text)
