"""The till's printer sign: a kitchen printer that is off is named in the status bar with its waiting
slips, in the till's language, and the sign goes once the printer is back and has printed them."""
from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from pos_app.printer_sign import HeldBack, held_back, sign_text
from screens_common.i18n import set_language
from services.printing.config import parse_config
from services.printing.jobs import Job
from tests.printing.conftest import printers_config
from tests.printing.fake_printer import FakePrinter, free_port
from tests.printing.test_print_service import order


LONG_NAME = "주방 메인 프린터 (1층 그릴 스테이션)"


def job(printer: str, created_at: float, last_error: str = "") -> Job:
    return Job(1, 7, 1, printer, "ticket", "waiting", 1 if last_error else 0, last_error, created_at, None, None, "")


def test_a_printer_holds_slips_back_once_an_attempt_failed_and_a_queue_alone_is_not_that():
    assert held_back([job("kitchen", 100.0), job("kitchen", 101.0)]) is None     # a rush: printing, in turn
    waiting = [job("kitchen", 100.0), job("bar", 102.0, "connection refused"), job("bar", 103.0), job("grill", 99.0)]
    assert held_back(waiting) == HeldBack(("bar",), 2, 102.0)


def test_the_sign_names_several_printers_and_dates_a_backlog_from_another_day():
    now = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
    yesterday = (now - timedelta(days=1)).timestamp()
    try:
        text = sign_text(HeldBack(("bar", "주방"), 3, yesterday), now)
        assert text.startswith("Printers bar, 주방 are not printing (3 waiting since ")
        assert datetime.fromtimestamp(yesterday).strftime("%m-%d %H:%M") in text
        names = ("주방 메인 프린터 (1층 그릴 스테이션)", "bar", "포장 코너")      # cut short, two of them named
        assert sign_text(HeldBack(names, 3, now.timestamp()), now).startswith(
            "Printers 주방 메인 프린터 (1층…, bar and 1 more are not printing (3 waiting since ")
        set_language("ko")
        text = sign_text(HeldBack(("주방",), 1, now.timestamp()), now)
        assert text.startswith("프린터 주방 출력 안 됨 (") and "1장 대기" in text and not re.search("[A-Za-z]", text)
        text = sign_text(HeldBack(names, 3, now.timestamp()), now)
        assert text.startswith("프린터 주방 메인 프린터 (1층…, bar 외 1대 출력")
    finally:
        set_language("en")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_printer_that_is_off_is_named_on_the_till_until_it_has_printed(qtbot, shop, tmp_path, language):
    from pos_app.app import build_shop_app
    from services.printing import open_print_service
    port = free_port()                       # nothing listens there: the kitchen printer is off
    config = printers_config(port)
    config["printer"][0]["name"] = LONG_NAME
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
        assert sign.held.printers == (LONG_NAME,) and sign.toolTip() == LONG_NAME
        assert sign.text() == sign_text(sign.held, datetime.now(timezone.utc))
        assert ("출력 안 됨" if language == "ko" else "is not printing") in sign.text()
        built.main.resize(1280, 800)         # a till's screen: the whole sign shows beside the shop's
        qtbot.waitUntil(lambda: sign.width() >= sign.sizeHint().width(), timeout=10000)

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
