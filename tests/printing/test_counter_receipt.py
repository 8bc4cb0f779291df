"""The counter's Print receipt button with a receipt printer set up: the receipt goes to the printer.

Without a receipt printer the counter keeps its print dialog / PDF path.
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from services.printing.config import parse_config
from tests.printing.conftest import printers_config
from tests.printing.escpos_reader import texts
from tests.printing.fake_printer import FakePrinter
from tests.printing.test_print_service import order


def test_the_receipt_button_sends_the_receipt_to_the_receipt_printer(qtbot, shop, printer, tmp_path):
    from pos_app.app import build_shop_app
    from screens_common.i18n import set_language
    from services.printing import open_print_service
    receipt_printer = FakePrinter()
    service = open_print_service(shop, parse_config(printers_config(printer.port, receipt_port=receipt_printer.port)),
                                 tmp_path / "shop-printing.sqlite")
    built = build_shop_app(shop, "counter", "en", receipt_printer=service)
    try:
        for window in built.windows:
            qtbot.addWidget(window)
        built.show(kitchen_full_screen=False)
        placed = order(shop, ("kimchi-jjigae", 1))
        counter = built.main.counter
        qtbot.waitUntil(lambda: counter.orders.rowCount() > 0 and counter.orders.row_at(0).order_id == placed,
                        timeout=60000)
        counter.orders_view.setCurrentIndex(counter.orders.index(0, 0))
        counter.receipt.click()
        lines = texts(receipt_printer.wait_for_jobs(1)[0])
        assert any(line.startswith("주문번호 Order No.") and line.endswith(f"#{placed}") for line in lines)
        qtbot.waitUntil(lambda: f"Receipt of order {placed} sent to printer counter" in counter.message.text(),
                        timeout=60000)
    finally:
        built.close()
        set_language("en")
        service.close()
        receipt_printer.close()
