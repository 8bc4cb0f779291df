"""Things that must never take the till down: signal storms, the bridge under load, printing."""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal

from screens_common.bridge import ShopEvents
from screens_common.printing import receipt_slip, save_pdf, save_slip_pdf, ticket_html
from services.commands import OrderLine, PlaceOrder
from tests.gui.conftest import menu_items


class _Emitter(QObject):
    fired = Signal(object)


def test_100000_signal_emits_do_not_crash(qtbot):
    """PySide6 6.12.0 on CPython 3.11 aborted after a few hundred emits (see PITFALLS.md)."""
    emitter, seen = _Emitter(), []
    emitter.fired.connect(seen.append)
    for number in range(100_000):
        emitter.fired.emit(number)
    assert len(seen) == 100_000 and seen[-1] == 99_999


def test_the_bridge_delivers_events_from_another_thread_on_the_gui_thread(qtbot, shop):
    events = ShopEvents(shop, coalesce_ms=10)
    gui_thread = threading.get_ident()
    threads, batches = set(), []
    events.event.connect(lambda record: threads.add(threading.get_ident()))
    events.batch.connect(batches.append)
    qtbot.waitUntil(lambda: events.is_subscribed, timeout=30000)
    (item,) = menu_items(shop, 1)
    placed = [shop.place_order(PlaceOrder((OrderLine(item.code, 1),))) for _ in range(5)]
    qtbot.waitUntil(lambda: any(r.name == "StockChecked" and r.order_id == placed[-1].order_id
                                for batch in batches for r in batch), timeout=30000)
    assert threads == {gui_thread}
    assert len(batches) < 5 * 2              # bursts are coalesced, not one batch per event
    events.stop()
    events.stop()                            # idempotent


def test_receipt_and_ticket_save_as_pdf_with_korean_text(qtbot, shop, tmp_path):
    (item,) = menu_items(shop, 1)
    receipt = shop.place_order(PlaceOrder((OrderLine(item.code, 2, "덜 맵게"),), customer_name="김민수"))
    summary = next(o for o in shop.todays_orders() if o.order_id == receipt.order_id)
    ticket = next(t for t in shop.kitchen_tickets() if t.order_id == receipt.order_id)
    slip = receipt_slip(shop, summary)
    assert f"{item.price * 2:,}" in slip.to_text()
    for path in (save_slip_pdf(slip, tmp_path / "receipt.pdf"), save_pdf(ticket_html(ticket), tmp_path / "ticket.pdf")):
        data = path.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 5_000
        assert b"Noto" in data or b"Nanum" in data          # a CJK font was embedded for the Hangul


def test_print_buttons_save_a_pdf_when_no_printer_is_installed(qtbot, shop, shop_app, tmp_path):
    from PySide6.QtCore import Qt
    counter, kitchen = shop_app.main.counter, shop_app.kitchen
    (item,) = menu_items(shop, 1)
    order_id = shop.place_order(PlaceOrder((OrderLine(item.code, 1, "맵게"),), customer_name="김민수")).order_id
    qtbot.waitUntil(lambda: kitchen.model.row_of(order_id) >= 0 and counter.orders.row_of_key(order_id) >= 0,
                    timeout=30000)
    kitchen.board.setCurrentIndex(kitchen.model.index(kitchen.model.row_of(order_id), 0))
    kitchen.board.setFocus()
    qtbot.keyClick(kitchen.board, Qt.Key.Key_P)
    counter.orders_view.selectRow(counter.orders.row_of_key(order_id))
    qtbot.mouseClick(counter.receipt, Qt.MouseButton.LeftButton)
    prints = tmp_path / "prints"
    qtbot.waitUntil(lambda: len(list(prints.glob("*.pdf"))) == 2, timeout=30000)
    assert {p.name.split("-")[0] for p in prints.glob("*.pdf")} == {"ticket", "receipt"}
    assert "PDF" in counter.message.text()


def test_100000_events_from_a_worker_thread_cross_the_bridge(qtbot, shop):
    """The real path: the shop's thread emits, Qt queues to the GUI thread, batches coalesce."""
    from services.port import EventRecord
    from datetime import datetime, timezone
    events = ShopEvents(shop, coalesce_ms=5)
    received = []
    events.event.connect(lambda record: received.append(record.position))
    record_at = datetime.now(timezone.utc)

    def flood() -> None:
        for position in range(100_000):
            events._arrived.emit(EventRecord(position, "Flood", 0, record_at, {}))
    worker = threading.Thread(target=flood)
    worker.start()
    qtbot.waitUntil(lambda: len(received) == 100_000, timeout=60_000)
    worker.join()
    assert received == list(range(100_000))          # in order, none lost
    events.stop()


def test_an_unexpected_error_in_a_slot_becomes_one_message_not_a_crash(qtbot, shop_app, monkeypatch):
    import sys
    from PySide6.QtWidgets import QApplication, QMessageBox
    from pos_app.app import install_error_hook
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)     # restored after the test
    install_error_hook()
    for _ in range(3):
        sys.excepthook(RuntimeError, RuntimeError("printer exploded"), None)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1 and "printer exploded" in boxes[0].text() and "Traceback" not in boxes[0].text()
    boxes[0].close()
