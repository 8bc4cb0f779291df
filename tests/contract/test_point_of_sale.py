"""The point of sale through the port, in every mode (embedded, shop server, chain): order types,
payment (cash with change, card, a split across tenders and between guests, dine-in paid at the end),
refunds on cancel per tender
with who and why, and the business day opened and closed — the Z report's every figure checked
against sums this test makes itself from the orders it placed."""
from __future__ import annotations

from collections import Counter

import pytest

from services.errors import (AlreadyPaid, DayAlreadyOpen, DayNotOpen, InvalidInput, InvalidTransition, PaymentRefused,
                             PinRefused)
from services.port import Tender
from tests.contract.helpers import order, wait_until


def _gift_decided(card) -> bool:
    """Its gift's last word: a cancelled order's gift taken back (or never sent), another's sent or not."""
    if card.order_status == "cancelled":
        return card.gift_status in ("out_of_stock", "cancelled")
    return card.gift_status in ("sent", "out_of_stock")


STAFF = "manager"     # the remote shop signs in as the manager; the server records who from the token


@pytest.fixture(autouse=True)
def _a_chain_test_starts_with_no_day_and_no_stray_bill(request):
    """A local or remote shop is a new one for each test; the chain is one for the whole session. So
    before each chain test its open day, if an earlier test left one, is closed, and a day is opened
    and closed at once to take the bills of orders earlier tests placed while no day was open (the next
    day opened takes those): the day a test opens then holds that test's orders only."""
    if not request.node.name.endswith("[chain]"):
        return
    shop = request.getfixturevalue("shop")
    if shop.current_day() is not None:     # consistent reads: every earlier test's events are in by now
        shop.close_day(0, STAFF)
    shop.open_day(0, STAFF)
    shop.close_day(0, STAFF)


def _card(amount: int, approval: str = "30012345", last4: str = "4242", guest: str = "") -> Tender:
    return Tender("card", amount, approval=approval, last4=last4, guest=guest)


def test_order_types_dine_in_and_takeout_never_reach_the_delivery_board(shop):
    dine_in = shop.place_order(order(("bibimbap", 1), order_type="dine_in", table=7, guests=3, address=""))
    takeout = shop.place_order(order(("gimbap", 2), order_type="takeout", address=""))
    delivery = shop.place_order(order(("bulgogi", 1), order_type="delivery"))
    legacy = shop.place_order(order(("cola", 1)))          # no type said: a delivery, as before types
    tickets = {t.order_id: t for t in shop.kitchen_tickets()}
    assert (tickets[dine_in.order_id].order_type, tickets[dine_in.order_id].table) == ("dine_in", 7)
    assert tickets[takeout.order_id].order_type == "takeout"
    for receipt in (dine_in, takeout, delivery, legacy):
        shop.finish_cooking(receipt.order_id)
    waiting = {card.order_id for card in shop.delivery_board().waiting}
    assert waiting >= {delivery.order_id, legacy.order_id}
    assert not waiting & {dine_in.order_id, takeout.order_id}
    summaries = {s.order_id: s for s in shop.todays_orders()}
    assert (summaries[dine_in.order_id].order_type, summaries[dine_in.order_id].table) == ("dine_in", 7)
    assert summaries[legacy.order_id].order_type == "delivery"
    assert shop.bill(dine_in.order_id).guests == 3


@pytest.mark.parametrize("command, words", [
    (lambda: order(order_type="delivery", address=""), "address"),
    (lambda: order(order_type="dine_in"), "table"),
    (lambda: order(order_type="takeout", table=3), "no table"),
    (lambda: order(order_type="tray"), "Order type"),
])
def test_an_order_type_without_what_it_needs_is_refused(command, words):
    with pytest.raises(InvalidInput, match=words):
        command()


def test_a_paid_order_cash_with_change(shop):
    shop.open_day(100_000, STAFF)
    receipt = shop.place_order(order(("bibimbap", 2), order_type="takeout", address=""))
    assert shop.bill(receipt.order_id).status == "open"
    paid = shop.take_payment(receipt.order_id, [Tender("cash", 19_000, tendered=50_000)], cash_receipt="01012345678",
                             staff=STAFF)
    assert (paid.amount, paid.change, paid.balance, paid.status) == (19_000, 31_000, 0, "paid")
    bill = shop.bill(receipt.order_id)
    assert (bill.paid, bill.balance, bill.cash_receipt) == (19_000, 0, "010-1234-5678")
    assert [(t.kind, t.amount, t.tendered, t.change) for t in bill.tenders] == [("cash", 19_000, 50_000, 31_000)]
    assert next(s for s in shop.todays_orders() if s.order_id == receipt.order_id).bill_status == "paid"
    with pytest.raises(AlreadyPaid, match="already paid"):
        shop.take_payment(receipt.order_id, [Tender("cash", 1000)])


def test_a_split_across_tenders_and_between_guests(shop):
    shop.open_day(0, STAFF)
    receipt = shop.place_order(order(("bulgogi", 2), order_type="dine_in", table=2, guests=2, address=""))
    first = shop.take_payment(receipt.order_id, [_card(15_000, guest="Guest 1")], staff=STAFF)
    assert (first.balance, first.status) == (15_000, "open")
    with pytest.raises(PaymentRefused, match="more than"):
        shop.take_payment(receipt.order_id, [Tender("cash", 20_000)])
    second = shop.take_payment(receipt.order_id, [Tender("cash", 5_000, tendered=10_000, guest="Guest 2"),
                                                  _card(10_000, "77001122", "1234", guest="Guest 2")], staff=STAFF)
    assert (second.amount, second.change, second.balance, second.status) == (15_000, 5_000, 0, "paid")
    bill = shop.bill(receipt.order_id)
    assert [(t.guest, t.kind, t.amount) for t in bill.tenders] == [
        ("Guest 1", "card", 15_000), ("Guest 2", "cash", 5_000), ("Guest 2", "card", 10_000)]
    assert bill.tenders[0].last4 == "4242" and bill.tenders[2].approval == "77001122"


def test_a_payment_sent_again_with_its_client_ref_is_taken_once_and_answered_the_same(shop):
    """A till that lost the answer sends the same payment again: on a split bill, without the ref, the
    second send would be taken as the next guest's share."""
    shop.open_day(0, STAFF)
    receipt = shop.place_order(order(("bulgogi", 2), order_type="dine_in", table=3, guests=2, address=""))
    guest_1 = [Tender("cash", 15_000, tendered=20_000, guest="Guest 1")]
    first = shop.take_payment(receipt.order_id, guest_1, staff=STAFF, client_ref="till-1-pay-1")
    again = shop.take_payment(receipt.order_id, guest_1, staff=STAFF, client_ref="till-1-pay-1")
    assert again == first and (first.amount, first.change, first.balance, first.status) == (15_000, 5_000, 15_000,
                                                                                           "open")
    assert [(t.guest, t.amount) for t in shop.bill(receipt.order_id).tenders] == [("Guest 1", 15_000)]
    with pytest.raises(InvalidInput, match="already used for another payment"):
        shop.take_payment(receipt.order_id, [_card(15_000)], client_ref="till-1-pay-1")
    last = shop.take_payment(receipt.order_id, [_card(15_000, guest="Guest 2")], client_ref="till-1-pay-2")
    assert (last.balance, last.status) == (0, "paid")
    assert shop.take_payment(receipt.order_id, guest_1, client_ref="till-1-pay-1") == first   # as answered then
    bill = shop.bill(receipt.order_id)
    assert (bill.paid, bill.status, len(bill.tenders)) == (30_000, "paid", 2)
    with pytest.raises(InvalidInput, match="client_ref"):
        shop.take_payment(receipt.order_id, guest_1, client_ref="")


def test_a_dine_in_order_paid_at_the_end_is_unpaid_until_then(shop):
    shop.open_day(0, STAFF)
    receipt = shop.place_order(order(("kimchi-jjigae", 2), order_type="dine_in", table=5, address=""))
    assert receipt.order_id in [b.order_id for b in shop.unpaid_bills()]
    summary = next(s for s in shop.todays_orders() if s.order_id == receipt.order_id)
    assert (summary.bill_status, summary.balance) == ("open", 18_000)
    shop.finish_cooking(receipt.order_id)
    shop.take_payment(receipt.order_id, [_card(18_000)], staff=STAFF)
    assert receipt.order_id not in [b.order_id for b in shop.unpaid_bills()]


def test_a_cancel_refunds_each_tender_with_who_and_why(shop):
    shop.open_day(0, STAFF)
    receipt = shop.place_order(order(("bulgogi", 1), order_type="takeout", address=""))
    shop.take_payment(receipt.order_id, [Tender("cash", 5_000), _card(10_000)], staff=STAFF)
    shop.cancel_order(receipt.order_id, "customer changed their mind", staff=STAFF)
    bill = shop.bill(receipt.order_id)
    assert (bill.status, bill.balance) == ("cancelled", 0)
    assert [(r.kind, r.amount, r.staff, r.reason) for r in bill.refunds] == [
        ("cash", 5_000, STAFF, "customer changed their mind"), ("card", 10_000, STAFF, "customer changed their mind")]
    assert bill.refunds[1].last4 == "4242"
    with pytest.raises(InvalidTransition, match="cancelled"):
        shop.take_payment(receipt.order_id, [Tender("cash", 1000)])


def test_payment_needs_an_open_day_and_a_well_formed_tender(shop):
    receipt = shop.place_order(order())
    with pytest.raises(DayNotOpen, match="not open"):
        shop.take_payment(receipt.order_id, [Tender("cash", 1000)])
    with pytest.raises(InvalidInput, match="last four"):
        Tender("card", 1000, approval="1234", last4="12")
    with pytest.raises(PaymentRefused, match="less than"):
        Tender("cash", 5000, tendered=1000)
    with pytest.raises(InvalidInput, match="Cash-receipt"):
        shop.take_payment(receipt.order_id, [Tender("cash", 1000)], cash_receipt="12")


def _expected(shop, placed: dict[int, object]) -> dict:
    """The day's figures summed here from the orders (their lines at the menu's prices) and their bills."""
    prices = {item.code: item.price for item in shop.menu()}
    by_item, by_type, by_hour, by_tender, refunds = Counter(), Counter(), Counter(), Counter(), Counter()
    units, gifts, unpaid = Counter(), Counter(), {}
    cancelled, orders = [], 0
    for order_id, command in placed.items():
        bill = shop.bill(order_id)
        total = sum(prices[line.item_code] * line.quantity for line in command.lines)
        assert bill.total == total
        for t in bill.tenders:
            by_tender[t.kind] += t.amount
        for r in bill.refunds:
            refunds[r.kind] += r.amount
        if bill.status == "cancelled":
            cancelled.append(order_id)
            continue
        orders += 1
        summary = shop.mypage(order_id)
        by_type[bill.order_type] += total
        by_hour[f"{summary.ordered_at.astimezone().hour:02d}"] += total
        for line in command.lines:
            by_item[line.item_code] += prices[line.item_code] * line.quantity
            units[line.item_code] += line.quantity
        if summary.gift_kind and summary.gift_status == "sent":
            gifts[summary.gift_kind] += 1
        if bill.balance:
            unpaid[str(order_id)] = bill.balance
    return dict(orders=orders, by_item=by_item, units=units, by_type=by_type, by_hour=by_hour, by_tender=by_tender,
                refunds=refunds, gifts=gifts, unpaid=unpaid, cancelled=cancelled)


def test_a_day_opened_and_closed_its_z_report_adds_up(shop):
    for code in ("bibimbap", "cola", "bulgogi", "gimbap", "tteokbokki", "japchae"):
        shop.restock(code, 50)             # in stock, whatever earlier tests on a shared shop (the chain) took
    shop.set_gift_stock(20, "Candy")       # gifts to give, whatever earlier tests on the chain's shop left
    shop.mark_sold_out("naengmyeon")
    day = shop.open_day(50_000, STAFF)
    assert (day.status, day.float_cash) == ("open", 50_000)
    with pytest.raises(DayAlreadyOpen, match="already open"):
        shop.open_day(0, STAFF)
    commands = [order(("bibimbap", 2), ("cola", 1), order_type="dine_in", table=1, guests=2, address=""),
                order(("bulgogi", 1), order_type="takeout", address=""),
                order(("gimbap", 3)),
                order(("tteokbokki", 1), order_type="dine_in", table=4, address=""),   # left unpaid
                order(("japchae", 1), order_type="takeout", address=""),               # paid, then cancelled
                order(("naengmyeon", 1), order_type="takeout", address="")]            # out of stock: cancelled
    placed = {shop.place_order(command).order_id: command for command in commands}
    ids = list(placed)
    payments = {ids[0]: [Tender("cash", 21_000, tendered=30_000)], ids[1]: [_card(15_000)],
                ids[2]: [Tender("cash", 6_000, guest="A"), _card(7_500, guest="B")], ids[4]: [Tender("cash", 10_000)]}
    for order_id, tenders in payments.items():
        shop.take_payment(order_id, tenders, staff=STAFF)
    shop.cancel_order(ids[4], "wrong order", staff=STAFF)
    # the money taken, summed from the payments made here: all of it, and what the cancel must give back
    paid = Counter()
    for tenders in payments.values():
        for tender in tenders:
            paid[tender.kind] += tender.amount
    given_back = Counter({tender.kind: tender.amount for tender in payments[ids[4]]})
    # every gift decided (the chain's gift and mypage follow the order's events): the day closes on them
    wait_until(lambda: all(_gift_decided(shop.mypage(order_id)) for order_id in placed))
    x = shop.x_report()
    assert x.kind == "X" and x.counted_cash is None
    report = shop.close_day(82_000, STAFF)
    want = _expected(shop, placed)

    assert (report.kind, report.day_id, report.opened_by, report.closed_by) == ("Z", day.day_id, STAFF, STAFF)
    assert report.orders == want["orders"] == 4
    assert report.gross_sales == report.net_sales == sum(want["by_type"].values())
    assert report.discounts == 0
    assert report.supply == round(report.gross_sales / 1.1) and report.supply + report.vat == report.gross_sales
    assert {f.key: f.amount for f in report.by_tender} == dict(paid) == dict(want["by_tender"])
    assert {f.key: f.amount for f in report.refunds_by_tender} == dict(given_back) == dict(want["refunds"])
    assert {f.key: f.amount for f in report.by_item} == dict(want["by_item"])
    assert {f.key: f.count for f in report.by_item} == dict(want["units"])
    assert {f.key: f.amount for f in report.by_order_type} == dict(want["by_type"])
    assert {f.key: f.amount for f in report.by_hour} == dict(want["by_hour"])
    assert report.gifts and {f.key: f.count for f in report.gifts} == dict(want["gifts"])
    assert sum(f.count for f in report.gifts) == sum(want["gifts"].values()) > 0
    assert {f.key: f.amount for f in report.unpaid} == want["unpaid"] == {str(ids[3]): 6_000}
    assert sorted(c.order_id for c in report.cancellations) == sorted(want["cancelled"]) == [ids[4], ids[5]]
    prices = {item.code: item.price for item in shop.menu()}
    assert sorted((c.order_id, c.amount, c.staff, c.reason) for c in report.cancellations) == [
        (ids[4], prices["japchae"], STAFF, "wrong order"),                   # who cancelled it at the counter
        (ids[5], prices["naengmyeon"], "kitchen", "@out_of_stock:naengmyeon")]   # the kitchen: it ran out
    assert [(r.order_id, r.kind, r.amount, r.staff, r.reason) for r in report.refunds] == [
        (ids[4], "cash", 10_000, STAFF, "wrong order")]
    cash = paid["cash"] - given_back["cash"]
    assert (report.float_cash, report.cash_sales, report.cash_refunds) == (50_000, paid["cash"], given_back["cash"])
    assert report.expected_cash == 50_000 + cash == 77_000
    assert (report.counted_cash, report.over_short) == (82_000, 5_000)
    # x before the close saw the same sales
    assert (x.gross_sales, x.expected_cash) == (report.gross_sales, report.expected_cash)

    # A closed day cannot change; its report is kept and reads the same again.
    with pytest.raises(DayNotOpen, match="No day is open"):
        shop.close_day(0, STAFF)
    with pytest.raises(DayNotOpen, match="not open"):
        shop.take_payment(ids[3], [Tender("cash", 6_000)])
    with pytest.raises(DayNotOpen):
        shop.x_report()
    assert shop.z_report(day.day_id) == report
    assert shop.current_day() is None and shop.days()[0].status == "closed"
    # The next day collects the unpaid bill; day 1's report is unchanged.
    shop.open_day(10_000, STAFF)
    shop.take_payment(ids[3], [Tender("cash", 6_000)], staff=STAFF)
    assert shop.z_report(day.day_id) == report
    assert {f.key: f.amount for f in shop.x_report().by_tender} == {"cash": 6_000}


def test_a_wrong_manager_pin_is_refused(shop):
    with pytest.raises(PinRefused):
        shop.verify_manager_pin("0000")
