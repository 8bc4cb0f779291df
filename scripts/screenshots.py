"""Make docs/screenshots/*.png from the running app on a fresh demo shop (offscreen is fine).

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--out docs/screenshots]

A short scripted day puts tickets on the kitchen display, cards on the delivery board and a full
saga on mypage, then each screen is grabbed in English and in Korean at 1280x800 (a till's screen).
Last, the till's warnings (scripts/till_scenes.py): a remote till whose server has gone takes an order
from its kept menu (the offline counter), and a till whose kitchen printer is off.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SIKDANG_PRINT_DIR", tempfile.mkdtemp(prefix="sikdang-prints-"))

from scripts.grab import SIZE, settle  # noqa: E402 - after the path and the print folder are set


# The demo day's shop clock runs behind, so tickets have ages and the timers show all three colours.
ORDER_AGES_MIN = [40.0, 35.0, 30.0, 12.0, 7.0, 3.0, 2.0]
MINUTES_AGO = [ORDER_AGES_MIN[0]]


def demo_clock() -> float:
    return time.time() - MINUTES_AGO[0] * 60


def demo_day(shop) -> dict[str, int]:
    from services.commands import OrderLine, PlaceOrder
    menu = [item for item in shop.menu() if not item.sold_out]
    shop.open_day(100_000, "manager")     # 개점: the day's payments go into it
    shop.set_gift_stock(shop.gift_stock().quantity, "사탕")   # a Korean shop's gift, like its customers' names
    customers = [("김민수", "010-1234-5678", "서울시 마포구 월드컵로 12"),
                 ("이영희", "010-2222-3333", "서울시 강남구 테헤란로 5"),
                 ("박지성", "010-3333-4444", "수원시 팔달구 1"), ("최유리", "010-4444-5555", "서울시 종로구 3"),
                 ("정우성", "010-5555-6666", "서울시 송파구 9"), ("한가인", "010-6666-7777", "서울시 용산구 2"),
                 ("오세훈", "010-7777-8888", "서울시 중구 4")]
    notes = ["덜 맵게", "", "밥 많이", "", "파 빼주세요", "", ""]
    ids = []
    for number, (name, phone, address) in enumerate(customers):
        lines = (OrderLine(menu[number % len(menu)].code, 1 + number % 2, notes[number]),
                 OrderLine(menu[(number + 3) % len(menu)].code, 1))
        ids.append(shop.place_order(PlaceOrder(lines, customer_name=name, phone=phone, address=address)).order_id)
        MINUTES_AGO[0] = ORDER_AGES_MIN[min(number + 1, len(ORDER_AGES_MIN) - 1)]
    for order_id in ids[:3]:
        shop.start_cooking(order_id)
        shop.finish_cooking(order_id)
    shop.pick_up(ids[0], "라이더 김")
    shop.deliver(ids[0])
    shop.pick_up(ids[1], "라이더 박")
    shop.start_cooking(ids[3])
    shop.cancel_order(ids[6], "")         # no reason typed: the default, shown in the reader's language
    MINUTES_AGO[0] = 1.0
    shop.place_order(PlaceOrder((OrderLine(menu[2].code, 1, "곱빼기"), OrderLine(menu[7].code, 2)),
                                customer_name="윤서연", phone="010-8888-9999", address="서울시 성동구 7"))
    shop.place_order(PlaceOrder((OrderLine(menu[1].code, 2),), customer_name="예약 손님", phone="010-9999-0000",
                                scheduled_for=datetime.now(timezone.utc) + timedelta(hours=2)))
    from services.commands import ReleaseScheduledTicket
    MINUTES_AGO[0] = 5.0                  # released 5 minutes ago: among the cards in view
    early = shop.place_order(PlaceOrder((OrderLine(menu[3].code, 1),), customer_name="조예약", phone="010-1111-0000",
                                        scheduled_for=datetime.now(timezone.utc) + timedelta(minutes=20))).order_id
    shop.execute(ReleaseScheduledTicket(early))   # released ahead of its time: its card shows the scheduled flag
    MINUTES_AGO[0] = 1.0
    from services.payment_commands import Tender
    for order_id in ids[:3]:
        shop.take_payment(order_id, [Tender("card", shop.bill(order_id).total, approval="30012345", last4="4242")])
    takeout = shop.place_order(PlaceOrder((OrderLine(menu[4].code, 2),), customer_name="강하늘",
                                          order_type="takeout")).order_id
    shop.take_payment(takeout, [Tender("cash", shop.bill(takeout).total, tendered=50_000)])
    table = shop.place_order(PlaceOrder((OrderLine(menu[0].code, 2), OrderLine(menu[5].code, 1)),
                                        order_type="dine_in", table=7, guests=2)).order_id
    shop.mark_sold_out(menu[-1].code)
    MINUTES_AGO[0] = 0.0
    return {"delivered": ids[0], "cancelled": ids[6], "table": table}


def on_the_till(main_window, dialog, app):
    """The till at 1280x800 with ``dialog`` over it, as the cashier sees it (offscreen, a dialog is
    a window of its own: painted here over the main window's picture)."""
    from PySide6.QtGui import QPainter
    settle(app, 0.5)
    picture = main_window.grab()
    over = dialog.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), Qt_dim())
    painter.drawPixmap((picture.width() - over.width()) // 2, max(0, (picture.height() - over.height()) // 2), over)
    painter.end()
    return picture


def Qt_dim():
    from PySide6.QtGui import QColor
    return QColor(0, 0, 0, 90)


def point_of_sale(shop, main_window, app, out: Path, table: int, language: str) -> None:
    """The payment dialog (a dine-in table paying, change shown), the day with its X report, the menu editor."""
    from pos_app.payment_dialog import PaymentDialog
    from pos_app.menu_editor import MenuEditor
    payment = PaymentDialog(shop, shop.bill(table), main_window)
    payment.guests.setValue(2)
    payment.received.setValue(20_000)
    payment.cash_receipt.setText("010-1234-5678")
    payment.show()
    on_the_till(main_window, payment, app).save(str(out / f"payment-{language}.png"))
    payment.close()
    day = main_window.open_day_dialog()
    day.show_x_report()
    while day.report is None:
        settle(app, 0.1)
    on_the_till(main_window, day, app).save(str(out / f"day-x-{language}.png"))
    day.hide()
    day.report = None
    editor = MenuEditor(shop, main_window)
    editor.pin.setText("9999")
    editor.show()
    editor.check_pin()
    while not editor.editor.isEnabled():
        settle(app, 0.1)
    editor.item.setCurrentIndex(2)
    on_the_till(main_window, editor, app).save(str(out / f"menu-editor-{language}.png"))
    editor.close()


def back_office(main_window, app, out: Path, language: str) -> None:
    """The manager's staff window and the menu editor's categories, each opened with the manager's PIN."""
    staff = main_window.open_staff()
    staff.unlock_box.pin.setText("9999")
    staff.unlock_box.check_pin()
    while staff.table.rowCount() == 0:
        settle(app, 0.1)
    staff.table.selectRow(1)
    staff.unlock_box.reason.setText("교대 근무 변경" if language == "ko" else "new shifts")
    on_the_till(main_window, staff, app).save(str(out / f"staff-{language}.png"))
    staff.hide()
    editor = main_window.open_menu_editor()
    editor.pin.setText("9999")
    editor.check_pin()
    while editor.categories_tab.table.rowCount() == 0:
        settle(app, 0.1)
    editor.tabs.setCurrentWidget(editor.categories_tab)
    editor.categories_tab.table.selectRow(0)
    editor.unlock_box.reason.setText("겨울 메뉴" if language == "ko" else "winter menu")
    on_the_till(main_window, editor, app).save(str(out / f"menu-categories-{language}.png"))
    editor.hide()


def z_report(shop, main_window, app, out: Path) -> None:
    """마감: the day closed with the manager's PIN; its Z report in both languages."""
    from screens_common.i18n import set_language
    day = main_window.open_day_dialog()
    day.counted.setValue(shop.x_report().expected_cash + 2_000)
    day.pin.setText("9999")
    day.close_day()
    while day.report is None or day.report.kind != "Z":
        settle(app, 0.1)
    for language in ("en", "ko"):
        set_language(language)
        settle(app)
        on_the_till(main_window, day, app).save(str(out / f"day-z-{language}.png"))
    day.hide()


def main(argv: list[str] | None = None) -> int:
    from scripts.till_scenes import offline_till, printer_off
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from pos_app.app import build_shop_app
    from screens_common.i18n import set_language
    from services.local import open_local_shop
    from PySide6.QtWidgets import QApplication

    with tempfile.TemporaryDirectory() as folder:
        from pos_app.app import isolate_settings
        isolate_settings(Path(folder) / "settings")      # default thresholds, whatever this machine has set
        from services.http.staff_file import StaffFile
        shop = open_local_shop(Path(folder) / "demo-shop.sqlite", clock=demo_clock,
                               staff=StaffFile(Path(folder) / "demo-shop.staff.sqlite"))
        try:
            ids = demo_day(shop)
            built = build_shop_app(shop, "all", "en")
            app = QApplication.instance()
            built.show(kitchen_full_screen=False)
            main_window, kitchen = built.main, built.kitchen
            main_window.resize(*SIZE)
            kitchen.resize(*SIZE)
            settle(app, 1.0)
            while not built.events.is_subscribed:
                settle(app, 0.1)
            # one cancelled ticket struck out on the board, as the kitchen sees it
            kitchen.model.linger_s = 600
            # the kitchen's coded reason: "Out of stock: …" / "재료 소진: …" in each screenshot's language
            struck = ids["cancelled"] - 1
            first_line = next(t.lines[0].item_code for t in shop.kitchen_tickets() if t.order_id == struck)
            shop.cancel_order(struck, "@out_of_stock:" + first_line)
            settle(app, 0.5)
            counter = main_window.counter
            for language in ("en", "ko"):
                set_language(language)
                counter.clear_order()
                for code in list(counter.menu_panel.buttons)[:2]:
                    counter.add_to_cart(counter.menu_panel.buttons[code].item)
                counter.add_to_cart(counter.menu_panel.buttons[list(counter.menu_panel.buttons)[0]].item)
                counter.note.setText("덜 맵게" if language == "ko" else "less spicy")
                counter.note.editingFinished.emit()
                counter.name.setText("김민수")
                counter.phone.setText("010-1234-5678")
                counter.address.setText("서울시 마포구 월드컵로 12")
                main_window.tabs.setCurrentWidget(counter)
                settle(app)
                main_window.grab().save(str(args.out / f"counter-{language}.png"))
                kitchen.board.setCurrentIndex(kitchen.model.index(0, 0))
                settle(app)
                kitchen.grab().save(str(args.out / f"kitchen-{language}.png"))
                main_window.tabs.setCurrentWidget(main_window.delivery)
                settle(app)
                main_window.grab().save(str(args.out / f"delivery-{language}.png"))
                main_window.tabs.setCurrentWidget(main_window.mypage)
                main_window.mypage.show_order(ids["delivered"])
                settle(app, 0.6)
                main_window.grab().save(str(args.out / f"mypage-{language}.png"))
                dialog = main_window.open_manager()
                settle(app)
                dialog.grab().save(str(args.out / f"manager-{language}.png"))
                dialog.hide()
                main_window.tabs.setCurrentWidget(counter)
                point_of_sale(shop, main_window, app, args.out, ids["table"], language)
                back_office(main_window, app, args.out, language)
            z_report(shop, main_window, app, args.out)
            from screens_common.printing import receipt_slip, save_preview_png, ticket_html
            from services.printing.preview import render_png
            from services.printing.samples import SAMPLE_SHOP
            delivered = next(o for o in shop.todays_orders() if o.order_id == ids["delivered"])
            render_png(receipt_slip(shop, delivered, SAMPLE_SHOP), args.out / "receipt.png")   # the PDF's slip
            save_preview_png(ticket_html(kitchen.model.tickets()[0]), args.out / "kitchen-ticket.png")
            built.close()
            offline_till(Path(folder), args.out, app)
            printer_off(Path(folder), args.out, app)
        finally:
            shop.close()
    for path in sorted(args.out.glob("*.png")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
