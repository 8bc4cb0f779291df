"""Every custom model passes qtmodeltester, filled from a real shop; the ticket model's patching."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from kitchen_display.ticket_model import TicketModel
from pos_app.cart_model import CartModel
from pos_app.counter import orders_model
from pos_app.delivery_board import delivery_model
from pos_app.mypage import timeline_model
from services.commands import OrderLine, PlaceOrder
from services.port import Ticket, TicketLine
from tests.gui.conftest import menu_items


def _day(shop):
    first, second = menu_items(shop, 2)
    placed = [shop.place_order(PlaceOrder((OrderLine(first.code, 2, "맵게"), OrderLine(second.code, 1)),
                                          customer_name="홍길동", phone="010-2222-3333", address="부산"))
              for _ in range(3)]
    shop.start_cooking(placed[0].order_id)
    shop.finish_cooking(placed[0].order_id)
    return placed


def test_ticket_model(qtmodeltester, shop):
    _day(shop)
    model = TicketModel()
    model.apply(shop.kitchen_tickets())
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_cart_model(qtmodeltester, shop):
    model = CartModel()
    for item in menu_items(shop, 2):
        model.add(item)
    model.add(menu_items(shop, 1)[0])
    assert [line.quantity for line in model.lines()] == [2, 1]
    qtmodeltester.check(model)


def test_orders_delivery_and_timeline_models(qtmodeltester, shop):
    placed = _day(shop)
    orders = orders_model()
    orders.set_rows(shop.todays_orders())
    qtmodeltester.check(orders)
    deliveries = delivery_model()
    deliveries.set_rows(shop.delivery_board().waiting)
    assert deliveries.rowCount() == 1
    qtmodeltester.check(deliveries)
    timeline = timeline_model()
    timeline.set_rows(shop.mypage(placed[0].order_id).timeline)
    assert timeline.rowCount() >= 3
    qtmodeltester.check(timeline)


def _ticket(order_id: int, status: str = "queued", minute: int = 0) -> Ticket:
    at = datetime(2026, 1, 1, 12, minute, tzinfo=timezone.utc) + timedelta(seconds=order_id)
    return Ticket(order_id, (TicketLine("K", "김치찌개", "Kimchi stew", 1),), status, at)


def test_ticket_model_patches_rows_instead_of_resetting(qtbot):
    model = TicketModel()
    model.apply([_ticket(i) for i in range(1, 301)])
    resets, inserted, removed, changed = [], [], [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda parent, first, last: removed.append((first, last)))
    model.dataChanged.connect(lambda top, bottom, roles: changed.append(top.row()))

    fetched = [_ticket(i) for i in range(1, 301) if i not in (10, 11, 200)]
    fetched[0] = _ticket(1, "cooking")
    fetched.append(_ticket(301))
    with qtbot.waitSignal(model.new_tickets) as arrived:
        model.apply(fetched)
    assert arrived.args == [[301]]
    assert resets == [] and changed == [0]
    assert removed == [(199, 199), (9, 10)] and inserted == [(297, 297)]
    assert [t.order_id for t in model.tickets()] == [t.order_id for t in fetched]


def test_a_cancelled_ticket_comes_back_struck_out_if_a_refetch_dropped_it_first(qtbot):
    model = TicketModel(linger_s=30)
    model.apply([_ticket(1), _ticket(2)])
    model.apply([_ticket(2)])                     # a refetch raced the cancel event
    assert model.mark_cancelled(1)
    assert [(t.order_id, t.status) for t in model.tickets()] == [(1, "cancelled"), (2, "queued")]
    model.apply([_ticket(2)])                     # later refetches keep it while it lingers
    assert model.row_of(1) == 0
    assert model.all_day() == [("김치찌개", "Kimchi stew", 1)]


def test_a_ticket_shown_from_the_feed_survives_only_answers_older_than_its_event(qtbot):
    model = TicketModel()
    model.apply([_ticket(1)], as_of=10)
    with qtbot.waitSignal(model.new_tickets) as arrived:
        assert model.add_arrived(_ticket(2), position=12)   # its StockChecked is event 12
    assert arrived.args == [[2]]
    assert not model.add_arrived(_ticket(2), position=12)  # shown once
    model.apply([_ticket(1)], as_of=11)
    assert model.row_of(2) == 1                    # an answer older than its event does not take it away
    model.apply([_ticket(1)], as_of=12)
    assert model.row_of(2) < 0                     # one that includes its event and lacks it does (bumped)
