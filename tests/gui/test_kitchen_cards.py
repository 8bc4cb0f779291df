"""Kitchen cards show when the order was placed, the customer and a scheduled flag, and the "upcoming
scheduled" strip shows what is still to come (issue 11 point 12), in English and in Korean, offscreen
on a real LocalShop."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.commands import OrderLine, PlaceOrder, ReleaseScheduledTicket
from tests.gui.conftest import menu_items


def _ticket(kitchen, order_id: int):
    row = kitchen.model.row_of(order_id)
    return kitchen.model.tickets()[row] if row >= 0 else None


@pytest.mark.parametrize("language", ["en", "ko"])
def test_cards_show_placed_customer_and_scheduled_and_the_strip_shows_what_is_to_come(qtbot, shop, shop_app,
                                                                                        language):
    from kitchen_display.ticket_card import order_details
    from screens_common.i18n import set_language, tr
    set_language(language)
    kitchen = shop_app.kitchen
    (item,) = menu_items(shop, 1)
    now_order = shop.place_order(PlaceOrder((OrderLine(item.code, 1),), customer_name="Kim Minji")).order_id
    at = (datetime.now(timezone.utc) + timedelta(hours=2)).replace(second=0, microsecond=0)
    later = shop.place_order(PlaceOrder((OrderLine(item.code, 1),), customer_name="박지수",
                                        scheduled_for=at)).order_id

    qtbot.waitUntil(lambda: _ticket(kitchen, now_order) is not None, timeout=10000)
    ticket = _ticket(kitchen, now_order)
    assert ticket.customer_name == "Kim Minji" and ticket.placed_at is not None and ticket.scheduled_for is None
    placed = ticket.placed_at.astimezone().strftime("%H:%M")
    assert order_details(ticket) == f"{tr('kds.placed', at=placed)} · Kim Minji"
    assert order_details(ticket).startswith("Placed " if language == "en" else "주문 ")

    strip = kitchen.upcoming                                       # the scheduled order: still to come
    qtbot.waitUntil(lambda: [o.order_id for o in strip.orders] == [later], timeout=10000)
    hhmm = at.astimezone().strftime("%H:%M")
    assert strip.text() == tr("kds.upcoming", orders=f"{hhmm} #{later} 박지수")
    assert strip.text().startswith("Upcoming scheduled: " if language == "en" else "예약 대기: ")
    assert _ticket(kitchen, later) is None

    shop.execute(ReleaseScheduledTicket(later))                    # released early: on the board, flagged
    qtbot.waitUntil(lambda: _ticket(kitchen, later) is not None, timeout=10000)
    assert _ticket(kitchen, later).scheduled_for == at
    qtbot.waitUntil(lambda: strip.orders == [], timeout=10000)
    assert strip.text() == tr("kds.upcoming_none")
    kitchen.grab()                                                 # the card with its flag paints


def test_remote_tickets_carry_the_order_details_over_the_wire(local_shop, tmp_path):
    """The wire model (TicketOut) and the codec derived from it carry the new fields."""
    from tests.http.served import remote_shop_over
    code = local_shop.menu()[0].code
    order_id = local_shop.place_order(PlaceOrder((OrderLine(code, 1),), customer_name="Lee Seojun")).order_id
    with remote_shop_over(local_shop, tmp_path) as remote:
        (ticket,) = [t for t in remote.kitchen_tickets() if t.order_id == order_id]
        assert ticket == next(t for t in local_shop.kitchen_tickets() if t.order_id == order_id)
        assert ticket.customer_name == "Lee Seojun" and ticket.placed_at is not None
        assert remote.ticket(order_id).customer_name == "Lee Seojun"


def test_a_coded_cancel_reason_on_the_kitchen_follows_the_language(qtbot, shop, shop_app):
    """Issue 11 point 6: the kitchen words "@out_of_stock:CODE" from the menu names, and says it again in
    the other language when the display is switched."""
    from screens_common.i18n import set_language
    kitchen = shop_app.kitchen
    (item,) = menu_items(shop, 1)
    order_id = shop.place_order(PlaceOrder((OrderLine(item.code, 1),))).order_id
    qtbot.waitUntil(lambda: _ticket(kitchen, order_id) is not None, timeout=10000)
    shop.cancel_order(order_id, f"@out_of_stock:{item.code}")
    qtbot.waitUntil(lambda: f"Out of stock: {item.name_en}" in kitchen.message.text(), timeout=10000)
    set_language("ko")
    assert f"재료 소진: {item.name_ko}" in kitchen.message.text()
