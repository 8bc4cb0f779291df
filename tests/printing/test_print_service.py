"""The print service on a real LocalShop, printing to fake ESC/POS printers on loopback."""
from __future__ import annotations

import time

import pytest

from services.errors import InvalidInput
from services.port import OrderLine, PlaceOrder
from services.printing.jobs import PRINTED, WITHDRAWN
from tests.printing.conftest import printers_config
from tests.printing.escpos_reader import read_escpos, texts
from tests.printing.fake_printer import FakePrinter, free_port


def order(shop, *lines, customer="김민수", **fields):
    return shop.place_order(PlaceOrder(lines=tuple(OrderLine(*line) for line in lines), customer_name=customer,
                                       phone="010-1234-5678", address="서울시 종로구 1", **fields)).order_id


def wait_until(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def test_a_kitchen_ticket_prints_once_large_in_korean(shop, printer, service_factory):
    service_factory(printers_config(printer.port))
    first = order(shop, ("kimchi-jjigae", 2, "덜 맵게"), ("gongibap", 1))
    [job] = printer.wait_for_jobs(1)
    lines, cuts = read_escpos(job)
    printed = [line.text.strip() for line in lines]
    assert printed[0].startswith(f"#{first}")
    assert "2 x 김치찌개" in printed and "1 x 공기밥" in printed and "※ 덜 맵게" in printed
    assert "Kimchi stew" in printed
    assert all(line.double for line in lines if "김치찌개" in line.text or line.text.startswith(f"#{first}"))
    assert cuts == 1
    second = order(shop, ("bibimbap", 1))   # its ticket arriving shows the first one was not sent again
    jobs = printer.wait_for_jobs(2)
    assert len(jobs) == 2 and texts(jobs[1])[0].startswith(f"#{second}")


def test_kitchen_printers_are_chosen_by_menu_category(shop, printer, service_factory):
    bar = FakePrinter()
    try:
        service_factory(printers_config(printer.port, bar_port=bar.port))
        order(shop, ("kimchi-jjigae", 1), ("cola", 2), ("sikhye", 1))
        kitchen_lines = texts(printer.wait_for_jobs(1)[0])
        bar_lines = texts(bar.wait_for_jobs(1)[0])
        assert "1 x 김치찌개" in kitchen_lines and not any("콜라" in line for line in kitchen_lines)
        assert "2 x 콜라" in bar_lines and "1 x 식혜" in bar_lines
        assert not any("김치찌개" in line for line in bar_lines)
    finally:
        bar.close()


def test_a_cancel_prints_void_with_the_reason(shop, printer, service_factory):
    service_factory(printers_config(printer.port))
    placed = order(shop, ("bulgogi", 1))
    printer.wait_for_jobs(1)
    shop.cancel_order(placed, "손님 요청 customer left")
    lines, _ = read_escpos(printer.wait_for_jobs(2)[1])
    assert lines[0].reverse and "VOID" in lines[0].text and "주문취소" in lines[0].text
    printed = [line.text.strip() for line in lines]
    assert printed[1].startswith(f"#{placed}") and "1 x 불고기" in printed
    assert "사유 Reason: 손님 요청 customer left" in printed


def test_a_reprint_is_marked_and_is_a_new_version(shop, printer, service_factory):
    service = service_factory(printers_config(printer.port))
    placed = order(shop, ("japchae", 1))
    printer.wait_for_jobs(1)
    [job] = service.reprint(placed)
    assert job.kind == "reprint" and job.version == 2
    lines, _ = read_escpos(printer.wait_for_jobs(2)[1])
    assert lines[0].reverse and "REPRINT" in lines[0].text and "재출력" in lines[0].text
    assert "1 x 잡채" in [line.text.strip() for line in lines]


def test_a_printer_that_comes_back_late_prints_every_waiting_job_once_in_order(shop, service_factory):
    port = free_port()   # nothing listens there yet: the printer is off
    service = service_factory(printers_config(port))
    placed = [order(shop, ("tteokbokki", n)) for n in (1, 2, 3)]
    wait_until(lambda: len(service.waiting()) == 3 and service.waiting()[0].last_error)  # it tried the oldest
    assert [job.order_id for job in service.waiting()] == placed
    assert "does not answer" in service.waiting()[0].last_error
    printer = FakePrinter(port)   # switched on
    try:
        jobs = printer.wait_for_jobs(3)
        assert [texts(job)[0].split()[0] for job in jobs] == [f"#{n}" for n in placed]
        latest = order(shop, ("gimbap", 1))
        jobs = printer.wait_for_jobs(4)
        assert len(jobs) == 4 and texts(jobs[3])[0].startswith(f"#{latest}")
        assert service.waiting() == []
    finally:
        printer.close()


def test_an_offline_printer_keeps_the_job_until_it_is_ready(shop, service_factory):
    printer = FakePrinter(status=0x12 | 0x08)  # answers, but offline (cover open)
    try:
        service = service_factory(printers_config(printer.port))
        order(shop, ("kimchi-jjigae", 1))
        wait_until(lambda: service.waiting() and "offline" in service.waiting()[0].last_error)
        assert printer.jobs == []
        printer.status = 0x12
        printer.wait_for_jobs(1)
        wait_until(lambda: service.waiting() == [])
    finally:
        printer.close()


def test_a_cancel_while_the_printer_is_off_withdraws_the_ticket_and_prints_no_void(shop, service_factory):
    port = free_port()
    service = service_factory(printers_config(port))
    cancelled = order(shop, ("kimchi-jjigae", 1))
    wait_until(lambda: len(service.waiting()) == 1)
    shop.cancel_order(cancelled, "")
    kept = order(shop, ("bibimbap", 1))
    wait_until(lambda: [job.order_id for job in service.waiting()] == [kept])
    assert [job.status for job in service.store.jobs(order_id=cancelled)] == [WITHDRAWN]
    printer = FakePrinter(port)
    try:
        [job] = printer.wait_for_jobs(1)
        assert texts(job)[0].startswith(f"#{kept}")
        wait_until(lambda: service.waiting() == [])
        assert len(printer.jobs) == 1
    finally:
        printer.close()


def test_the_receipt_prints_with_vat_split_and_a_marked_copy(shop, printer, service_factory):
    receipt_printer = FakePrinter()
    try:
        service = service_factory(printers_config(printer.port, receipt_port=receipt_printer.port))
        placed = order(shop, ("kimchi-jjigae", 2, "덜 맵게"), ("cola", 1))
        job = service.print_receipt(placed)
        assert (job.kind, job.version, job.printer) == ("receipt", 1, "counter")
        printed = texts(receipt_printer.wait_for_jobs(1)[0])
        total = 2 * 9000 + 2000
        supply = round(total / 1.1)
        assert printed[0] == "식당 Sikdang"
        assert "사업자번호 Business No. 123-45-67890" in printed and "전화 Tel. 02-123-4567" in printed
        assert any(line.startswith("주문번호 Order No.") and line.endswith(f"#{placed}") for line in printed)
        assert any(line.startswith("김치찌개 Kimchi stew") and line.split()[-2:] == ["2", "18,000"] for line in printed)
        assert any(line.startswith("합계 Total") and line.endswith(f"{total:,}") for line in printed)
        assert any(line.startswith("공급가액 Supply value") and line.endswith(f"{supply:,}") for line in printed)
        assert any(line.startswith("부가세 VAT (10%)") and line.endswith(f"{total - supply:,}") for line in printed)
        assert "사은품 Gift: 사탕" in printed
        again = service.print_receipt(placed)
        assert again.version == 2
        lines, _ = read_escpos(receipt_printer.wait_for_jobs(2)[1])
        assert lines[0].reverse and "REPRINT" in lines[0].text
    finally:
        receipt_printer.close()


def test_no_receipt_printer_is_a_clear_error(shop, printer, service_factory):
    service = service_factory(printers_config(printer.port))
    placed = order(shop, ("gimbap", 1))
    with pytest.raises(InvalidInput, match="no receipt printer"):
        service.print_receipt(placed)


def test_a_restart_prints_what_was_ordered_while_it_was_stopped_and_not_history(shop, printer, service_factory):
    order(shop, ("gimbap", 1))                 # before printing was ever set up: not printed
    first = service_factory(printers_config(printer.port))
    seen = order(shop, ("bibimbap", 1))
    printer.wait_for_jobs(1)
    first.close()
    missed = order(shop, ("japchae", 1))       # while the print service was stopped
    second = service_factory(printers_config(printer.port))
    jobs = printer.wait_for_jobs(2)
    assert [texts(job)[0].split()[0] for job in jobs] == [f"#{seen}", f"#{missed}"]
    wait_until(lambda: [job.status for job in second.store.jobs()] == [PRINTED, PRINTED])
    assert [job.order_id for job in second.store.jobs()] == [seen, missed]


def test_a_second_service_on_the_same_state_is_refused(shop, printer, service_factory):
    service_factory(printers_config(printer.port))
    with pytest.raises(InvalidInput, match="already using"):
        service_factory(printers_config(printer.port))


def test_an_order_for_later_prints_when_its_ticket_is_released(shop, printer, service_factory):
    from datetime import datetime, timedelta
    from services.commands import ReleaseScheduledTicket
    service_factory(printers_config(printer.port))
    later = order(shop, ("bulgogi", 1), scheduled_for=datetime.now().astimezone() + timedelta(hours=1))
    now = order(shop, ("gimbap", 1))
    assert texts(printer.wait_for_jobs(1)[0])[0].startswith(f"#{now}")
    shop.execute(ReleaseScheduledTicket(later))
    lines = texts(printer.wait_for_jobs(2)[1])
    assert lines[0].startswith(f"#{later}") and any(line.startswith("예약 For") for line in lines)
