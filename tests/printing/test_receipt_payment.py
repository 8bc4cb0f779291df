"""The receipt once the shop takes payment: the order type (and table), each tender, cash tendered
and the change, what is still due, the masked 현금영수증 number; the kitchen ticket's type and table."""
from __future__ import annotations

from services.port import OrderLine, PlaceOrder, Tender
from services.printing.layouts import kitchen_ticket
from tests.printing.conftest import printers_config


def test_the_receipt_shows_the_type_the_tenders_and_the_change(shop, printer, service_factory):
    service = service_factory(printers_config(printer.port, receipt_port=printer.port))
    shop.open_day(0, "kim")
    order_id = shop.place_order(PlaceOrder((OrderLine("bibimbap", 2),), order_type="dine_in", table=7,
                                           guests=3)).order_id
    unpaid = service.preview_receipt(order_id).to_text()
    assert "매장 Dine-in · 테이블 Table 7 (3)" in unpaid and "미결제 Due" in unpaid and "19,000" in unpaid
    shop.take_payment(order_id, [Tender("cash", 9_000, tendered=10_000),
                                 Tender("card", 10_000, approval="30012345", last4="4242")],
                      cash_receipt="010-1234-5678")
    text = service.preview_receipt(order_id).to_text()
    assert "현금 Cash" in text and "받은 돈 Tendered" in text and "10,000" in text
    assert "거스름돈 Change" in text and "1,000" in text
    assert "카드 Card ****4242" in text and "승인 Approval 30012345" in text
    assert "현금영수증 Cash receipt: 010-****-5678" in text and "미결제" not in text


def test_the_kitchen_ticket_says_dine_in_and_the_table_large(shop, service_factory, printer):
    service = service_factory(printers_config(printer.port))
    order_id = shop.place_order(PlaceOrder((OrderLine("gimbap", 1),), order_type="dine_in", table=12)).order_id
    order = service._orders.order(order_id)
    slip = kitchen_ticket(order, order.lines, "kitchen")
    line = next(line for line in slip.lines if "T12" in line.text)
    assert line.size == 2 and "매장" in line.text
