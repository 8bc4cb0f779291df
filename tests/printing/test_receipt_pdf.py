"""The receipt without a receipt printer (the default): Today's orders' "Print receipt" saves a PDF of the
very slip the ESC/POS printer gets, 80 mm wide, its text read back with pypdf. An order taken offline
and still on its till prints with its items and its till number, on paper and on the receipt printer;
once the server has it, the receipt printer's slip carries both numbers."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from services.port import OrderLine, PlaceOrder, Tender
from services.printing.config import parse_config
from tests.http.conftest import served  # noqa: F401 - the fixture: a real shop server on loopback
from tests.printing.conftest import SHOP
from tests.printing.escpos_reader import texts

POINTS_PER_MM = 72 / 25.4


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def pdf_width_mm(path: Path) -> float:
    from pypdf import PdfReader
    return float(PdfReader(path).pages[0].mediabox.width) / POINTS_PER_MM


def desk_with_shop_details_only(shop, tmp_path: Path):
    """A printers file with the shop's details and no receipt printer: the counter prints to PDF."""
    from services.printing.jobs import JobStore
    from services.printing.service import PrintDesk
    return PrintDesk(shop, parse_config({"shop": SHOP}), JobStore(tmp_path / "printing.sqlite"))


def test_print_receipt_without_a_printer_saves_the_80mm_receipt_as_pdf(qtbot, shop, tmp_path, monkeypatch):
    from pos_app.app import build_shop_app
    from screens_common.i18n import set_language
    prints = tmp_path / "prints"
    monkeypatch.setenv("SIKDANG_PRINT_DIR", str(prints))
    shop.open_day(0, "kim")
    placed = shop.place_order(PlaceOrder((OrderLine("bibimbap", 2, "덜 맵게"),), order_type="takeout")).order_id
    shop.take_payment(placed, [Tender("cash", 19_000, tendered=20_000)], "010-1234-5678", "kim")
    built = build_shop_app(shop, "counter", "en", receipt_printer=desk_with_shop_details_only(shop, tmp_path))
    try:
        for window in built.windows:
            qtbot.addWidget(window)
        built.show(kitchen_full_screen=False)
        counter = built.main.counter
        qtbot.waitUntil(lambda: counter.orders.row_of_key(placed) >= 0, timeout=60000)
        counter.orders_view.selectRow(counter.orders.row_of_key(placed))
        counter.receipt.click()
        qtbot.waitUntil(lambda: len(list(prints.glob("receipt-*.pdf"))) == 1, timeout=60000)
    finally:
        built.close()
        set_language("en")
    (pdf,) = prints.glob("receipt-*.pdf")
    text = pdf_text(pdf)
    assert round(pdf_width_mm(pdf)) == 80
    for printed in ("사업자번호 Business No. 123-45-67890", "서울특별시 종로구 종로 1", "전화 Tel. 02-123-4567",
                    f"주문번호 Order No. #{placed}", "포장 Takeout", "비빔밥 Bibimbap 2 19,000", "※ 덜 맵게",
                    "합계 Total 19,000", "공급가액 Supply value 17,273", "부가세 VAT (10%) 1,727",
                    "현금 Cash 19,000", "받은 돈 Tendered 20,000", "거스름돈 Change 1,000",
                    "현금영수증 Cash receipt: 010-****-5678"):
        assert printed in text, printed


@pytest.fixture
def offline_till(served, tmp_path):  # noqa: F811 - served is the imported fixture
    """A till that saw the menu, then lost its server, with one order queued on it (T-1)."""
    from services.remote import open_remote_shop
    till = open_remote_shop(served.url, "counter:1111", queue_path=tmp_path / "queue.sqlite")
    till.menu()
    served.stop()
    queued = till.place_order(PlaceOrder((OrderLine("bibimbap", 2, "덜 맵게"), OrderLine("cola", 1)),
                                         customer_name="김민수", order_type="dine_in", table=4, guests=2))
    assert (queued.status, queued.till_number) == ("queued", "T-1")
    yield till
    till.close()


def test_an_order_waiting_on_the_till_prints_its_items_and_till_number(qtbot, offline_till, tmp_path):
    from screens_common.printing import receipt_order, receipt_slip, save_slip_pdf
    from services.printing.config import ShopDetails
    waiting = next(o for o in offline_till.todays_orders() if o.status == "queued")
    pdf = save_slip_pdf(receipt_slip(offline_till, waiting, ShopDetails(**SHOP)), tmp_path / "queued.pdf")
    text = pdf_text(pdf)
    for printed in ("주문번호 Order No. T-1", "Waiting on this till", "매장 Dine-in · 테이블 Table 4 (2)",
                    "비빔밥 Bibimbap 2 19,000", "※ 덜 맵게", "콜라 Cola 1 2,000", "합계 Total 21,000",
                    "미결제 Due 21,000", "고객 Customer: 김민수", "123-45-67890"):
        assert printed in text, printed

    desk = desk_with_shop_details_only(offline_till, tmp_path)
    desk.config = parse_config({"shop": SHOP, "printer": [{"name": "counter", "role": "receipt",
                                                           "host": "127.0.0.1"}]})
    job = desk.print_order_receipt(receipt_order(offline_till, waiting))      # the ESC/POS receipt
    lines = texts(job.slip.to_escpos())
    assert any(line.startswith("주문번호 Order No.") and line.endswith("T-1") for line in lines)
    assert any(line.startswith("비빔밥 Bibimbap") and line.endswith("19,000") for line in lines)


def test_once_sent_the_receipt_printer_prints_both_numbers(offline_till, served, tmp_path):  # noqa: F811
    from tests.contract.helpers import wait_until
    served.start()
    sent = wait_until(lambda: next((o for o in offline_till.todays_orders() if o.till_number == "T-1"
                                    and o.order_id > 0), None))
    desk = desk_with_shop_details_only(offline_till, tmp_path)
    desk.config = parse_config({"shop": SHOP, "printer": [{"name": "counter", "role": "receipt",
                                                           "host": "127.0.0.1"}]})
    lines = texts(desk.print_receipt(sent.order_id, sent.till_number).slip.to_escpos())
    assert any(line.startswith("주문번호 Order No.") and line.endswith(f"#{sent.order_id}") for line in lines)
    assert any(line.startswith("단말번호 Till No.") and line.endswith("T-1") for line in lines)
