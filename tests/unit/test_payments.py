"""The payments context on the in-memory fakes: the bill's and the day's rules, the handlers'
reactions to ordering's and gift's events, the menu's reach into the kitchen, the report's sums."""
from __future__ import annotations

import pytest

from services.commands import CancelOrder, FinishCooking, MarkSoldOut
from services.day_report import build_report, supply_and_vat
from services.errors import InvalidInput, InvalidTransition, PaymentRefused, UnknownOrder
from services.menu_commands import SaveCategory, SaveMenuItem
from services.payment_commands import CloseDay, OpenDay, TakePayment, Tender, normalize_cash_receipt
from services.statuses import BillStatus, DayStatus
from tests.unit.fakes import FakeShop
from tests.unit.helpers import place

CARD = dict(approval="12345678", last4="4242")


def _open(shop, float_cash=10_000) -> int:
    return shop.execute(OpenDay(float_cash, "kim"))


def test_an_order_opens_a_bill_in_the_open_day_and_payment_settles_it():
    shop = FakeShop()
    day_id = _open(shop)
    order_id = place(shop, ("bibimbap", 2))
    bill = shop.tables.bills[order_id]
    assert (bill.day_id, bill.total, bill.status, bill.balance) == (day_id, 19_000, BillStatus.OPEN, 19_000)
    start = shop.position
    paid = shop.execute(TakePayment(order_id, (Tender("cash", 19_000, tendered=20_000),), staff="kim"))
    assert paid.status == BillStatus.PAID and paid.balance == 0
    assert shop.names(start) == ["PaymentTaken"]
    event = shop.events(start)[0]
    assert event.tenders[0]["change"] == 1_000 and event.staff == "kim" and event.day_id == day_id


def test_a_split_leaves_the_bill_open_until_the_last_part():
    shop = FakeShop()
    _open(shop)
    order_id = place(shop, ("bulgogi", 2))
    assert shop.execute(TakePayment(order_id, (Tender("card", 10_000, guest="1", **CARD),))).status == BillStatus.OPEN
    with pytest.raises(PaymentRefused, match="more than the ₩20,000"):
        shop.execute(TakePayment(order_id, (Tender("cash", 20_001),)))
    assert shop.execute(TakePayment(order_id, (Tender("cash", 20_000, guest="2"),))).status == BillStatus.PAID
    assert [t["guest"] for t in shop.tables.tenders] == ["1", "2"]


def test_no_payment_without_an_open_day_and_none_for_an_unknown_order():
    shop = FakeShop()
    order_id = place(shop)
    with pytest.raises(InvalidTransition, match="not open"):
        shop.execute(TakePayment(order_id, (Tender("cash", 1_000),)))
    _open(shop)
    with pytest.raises(UnknownOrder):
        shop.execute(TakePayment(999, (Tender("cash", 1_000),)))


def test_an_order_placed_before_the_day_opens_joins_the_next_day():
    shop = FakeShop()
    order_id = place(shop)
    assert shop.tables.bills[order_id].day_id is None
    day_id = _open(shop)
    assert shop.tables.bills[order_id].day_id == day_id


def test_a_cancel_refunds_every_tender_with_who_and_why_once():
    shop = FakeShop()
    _open(shop)
    order_id = place(shop, ("bulgogi", 1))
    shop.execute(TakePayment(order_id, (Tender("cash", 5_000), Tender("card", 10_000, **CARD))))
    start = shop.position
    shop.execute(CancelOrder(order_id, "wrong table", staff="lee"))
    assert "PaymentRefunded" in shop.names(start)
    assert [(r["kind"], r["amount"], r["staff"], r["reason"]) for r in shop.tables.refunds] == [
        ("cash", 5_000, "lee", "wrong table"), ("card", 10_000, "lee", "wrong table")]
    assert shop.tables.bills[order_id].status == BillStatus.CANCELLED


def test_an_out_of_stock_order_cancels_its_unpaid_bill_without_a_refund():
    shop = FakeShop()
    shop.execute(MarkSoldOut("bulgogi"))
    order_id = place(shop, ("bulgogi", 1))
    assert shop.tables.bills[order_id].status == BillStatus.CANCELLED
    assert "PaymentRefunded" not in shop.names() and shop.tables.refunds == []


def test_only_one_day_is_open_and_a_closed_day_stays_closed():
    shop = FakeShop()
    day_id = _open(shop)
    with pytest.raises(InvalidTransition, match="already open"):
        _open(shop)
    report = shop.execute(CloseDay(10_000, "boss"))
    assert report["kind"] == "Z" and report["over_short"] == 0
    day = shop.tables.days[day_id]
    assert (day.status, day.report) == (DayStatus.CLOSED, report)
    with pytest.raises(InvalidTransition, match="No day is open"):
        shop.execute(CloseDay(0))
    with pytest.raises(InvalidTransition, match="already closed"):
        day.close(report, 0, "x", 0.0)


def test_gifts_follow_the_bill_and_the_z_report_counts_them():
    shop = FakeShop()
    _open(shop)
    kept, cancelled = place(shop), place(shop)
    shop.execute(CancelOrder(cancelled))
    assert shop.tables.bills[kept].gift_kind and not shop.tables.bills[cancelled].gift_kind
    report = shop.execute(CloseDay(10_000))
    assert [(g["key"], g["count"]) for g in report["gifts"]] == [(shop.tables.bills[kept].gift_kind, 1)]


def test_a_new_menu_item_reaches_the_kitchen_and_past_orders_keep_their_price():
    shop = FakeShop()
    _open(shop)
    before = place(shop, ("bibimbap", 1))
    shop.execute(SaveMenuItem("bibimbap", "비빔밥", "Bibimbap", 12_000, "rice"))
    shop.execute(SaveMenuItem("juk", "죽", "Porridge", 7_000, "rice", initial_stock=4))
    assert shop.tables.stock["juk"] == 4
    after = place(shop, ("bibimbap", 1), ("juk", 1))
    assert shop.tables.bills[before].total == 9_500 and shop.tables.bills[after].total == 19_000
    shop.execute(SaveMenuItem("juk", "죽", "Porridge", 7_000, "rice", available=False))
    with pytest.raises(InvalidInput, match="Not on the menu today: Porridge"):
        place(shop, ("juk", 1))
    with pytest.raises(InvalidInput, match="no menu category"):
        shop.execute(SaveMenuItem("x", "엑스", "X", 1, "nowhere"))
    shop.execute(SaveCategory("soups", "국", "Soups"))
    assert shop.tables.categories["soups"]["sort"] == 1


def test_only_delivery_orders_go_to_the_delivery_context():
    shop = FakeShop()
    dine_in = place(shop, order_type="dine_in", table=3, address="")
    takeout = place(shop, order_type="takeout", address="")
    delivery = place(shop, order_type="delivery")
    for order_id in (dine_in, takeout, delivery):
        shop.execute(FinishCooking(order_id))
    assert set(shop.tables.deliveries) == {delivery}
    assert shop.tables.tickets[dine_in].table == 3


@pytest.mark.parametrize("tender, words", [
    (lambda: Tender("cheque", 1), "Tender must be"),
    (lambda: Tender("cash", 0), "at least|from 1"),
    (lambda: Tender("card", 100, approval="12", last4="4242"), "approval"),
    (lambda: Tender("card", 100, tendered=200, **CARD), "no change"),
    (lambda: Tender("cash", 100, approval="1234"), "no approval"),
    (lambda: TakePayment(1, ()), "at least one tender"),
    (lambda: OpenDay(-1), "Cash float"),
    (lambda: CloseDay(True), "Counted cash"),
])
def test_malformed_payment_commands_are_refused_with_their_reason(tender, words):
    with pytest.raises(InvalidInput, match=words):
        tender()


def test_cash_receipt_numbers_normalise_and_vat_splits_as_receipts_show_it():
    assert normalize_cash_receipt("01012345678") == "010-1234-5678"
    assert normalize_cash_receipt("123 45 67890") == "123-45-67890"
    assert supply_and_vat(11_000) == (10_000, 1_000) and supply_and_vat(9_500) == (8_636, 864)


def test_the_report_counts_money_in_the_day_it_moved():
    day = {"id": 1, "opened_at": 0.0, "opened_by": "kim", "float_cash": 1_000}
    bill = {"order_id": 1, "order_type": "takeout", "total": 2_000, "placed_at": 0.0, "status": "paid",
            "paid": 2_000, "gift_kind": "", "cancel_reason": "", "cancelled_by": "", "cancelled_at": None,
            "lines": [{"item_code": "cola", "name_ko": "콜라", "name_en": "Cola", "quantity": 1, "unit_price": 2_000}]}
    tenders = [{"kind": "cash", "amount": 2_000}, {"kind": "card", "amount": 500}]   # 500: an earlier day's bill
    refunds = [{"order_id": 9, "kind": "cash", "amount": 300, "staff": "lee", "reason": "cold", "at": 5.0}]
    report = build_report("X", day, [bill], tenders, refunds, 10.0)
    assert (report.gross_sales, report.cash_sales, report.cash_refunds) == (2_000, 2_000, 300)
    assert report.expected_cash == 1_000 + 2_000 - 300 and report.over_short is None
    assert {f.key: f.amount for f in report.by_tender} == {"cash": 2_000, "card": 500}


def test_an_ordered_event_written_before_order_types_reads_as_a_delivery():
    from services.events import event_from_dict
    old = {"order_id": 3, "customer_name": "", "phone": "", "address": "서울", "lines": [], "total": 0,
           "placed_at": 1.0, "scheduled_for": None}
    event = event_from_dict("Ordered", old)
    assert (event.order_type, event.table, event.guests) == ("delivery", None, 0)
    assert isinstance(event.lines, tuple)


def test_the_chain_routes_the_point_of_sale_to_payments_and_the_menu_to_ordering():
    from services import menu_commands, payment_commands
    from services.chain.gateway_shop import OWNER, ChainShop
    from services.chain.wire import COMMAND_TYPES
    point_of_sale = ("take_payment", "open_day", "close_day", "save_category", "save_menu_item", "bill",
                     "unpaid_bills", "current_day", "days", "x_report", "z_report", "categories", "verify_manager_pin")
    assert [name for name in point_of_sale if not hasattr(ChainShop, name)] == []
    owners = {cls.__name__: OWNER[cls] for cls in (payment_commands.TakePayment, payment_commands.OpenDay,
                                                  payment_commands.CloseDay, menu_commands.SaveCategory,
                                                  menu_commands.SaveMenuItem)}
    assert owners == {"TakePayment": "payments", "OpenDay": "payments", "CloseDay": "payments",
                      "SaveCategory": "ordering", "SaveMenuItem": "ordering"}
    assert set(owners) <= set(COMMAND_TYPES)
