"""The till's printer sign: a kitchen printer that is off is named in the status bar with its waiting
slips, in the till's language, and the sign goes once the printer is back and has printed them."""
from __future__ import annotations

import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from pos_app.printer_sign import HELD_AFTER_S, HeldBack, held_back
from services.printing.config import parse_config
from services.printing.jobs import Job
from tests.printing.conftest import printers_config
from tests.printing.fake_printer import FakePrinter, free_port
from tests.printing.test_print_service import order


def job(printer: str, created_at: float, last_error: str = "") -> Job:
    return Job(1, 7, 1, printer, "ticket", "waiting", 1 if last_error else 0, last_error, created_at, None, None, "")


def test_a_slip_is_held_back_after_a_failed_attempt_or_once_it_waited_long():
    now = 1000.0
    assert held_back([job("kitchen", now - 1)], now) is None                     # just made: the worker is on it
    assert held_back([job("bar", now - 1, "connection refused"), job("kitchen", now - HELD_AFTER_S),
                      job("kitchen", now - 2)], now) == HeldBack(("bar", "kitchen"), 2, now - HELD_AFTER_S)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_printer_that_is_off_is_named_on_the_till_until_it_has_printed(qtbot, shop, tmp_path, language):
    from pos_app.app import build_shop_app
    from screens_common.i18n import set_language
    from services.printing import open_print_service
    port = free_port()                       # nothing listens there: the kitchen printer is off
    config = printers_config(port)
    config["printer"][0]["name"] = "주방"
    service = open_print_service(shop, parse_config(config), tmp_path / "shop-printing.sqlite")
    built = build_shop_app(shop, "counter", language, receipt_printer=service)
    printer = None
    try:
        for window in built.windows:
            qtbot.addWidget(window)
        built.show(kitchen_full_screen=False)
        sign = built.main.printer_sign
        assert not sign.isVisible()
        order(shop, ("kimchi-jjigae", 1))
        order(shop, ("bibimbap", 2))
        qtbot.waitUntil(lambda: sign.isVisible() and sign.held.slips == 2, timeout=60000)
        text = sign.text()
        assert "주방" in text and "2" in text and sign.width() <= built.main.statusBar().width()
        if language == "ko":
            assert not re.search("[A-Za-z]", text), text
        else:
            assert "not printing" in text

        printer = FakePrinter(port)          # switched on: both tickets print, and the sign goes
        printer.wait_for_jobs(2)
        qtbot.waitUntil(lambda: not sign.isVisible(), timeout=60000)
        assert sign.held is None
    finally:
        built.close()
        set_language("en")
        service.close()
        if printer is not None:
            printer.close()
