"""The kitchen display's stock list: selling out and restocking, only with a manager's PIN and a
reason, audited, reaching the counter; on the embedded shop and over the shop server."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from services.http.auth import StaffStore
from tests.gui.conftest import menu_items


@pytest.fixture
def shop(staffed_shop):
    return staffed_shop


def _pick_in_stock_list(kitchen, code: str) -> None:
    stock_list = kitchen.stock.stock_list
    stock_list.setCurrentRow(next(r for r in range(stock_list.count())
                                  if stock_list.item(r).data(Qt.ItemDataRole.UserRole) == code))


def _as_manager(qtbot, kitchen, button, pin: str, reason: str):
    """Tap ``button`` (Sold out, Restock) and answer the manager's PIN dialog with ``pin`` and ``reason``."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = kitchen.stock.manager_pin()
    qtbot.waitUntil(dialog.isVisible, timeout=30000)
    dialog.pin.setText(pin)
    dialog.reason.setText(reason)
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    return dialog


def _stock_audit(staff_path: Path) -> list[tuple[str, str, str, str, str]]:
    store = StaffStore(staff_path)
    try:
        return [(a.staff_id, a.action, a.target, a.reason, a.outcome) for a in reversed(store.audit_log())
                if a.action in ("sold_out", "restock")]
    finally:
        store.close()


def test_sold_out_and_restock_from_the_kitchen_reach_the_counter(qtbot, shop, shop_app):
    kitchen, counter = shop_app.kitchen, shop_app.main.counter
    (item,) = menu_items(shop, 1)
    qtbot.waitUntil(lambda: kitchen.stock.stock_list.count() > 0, timeout=30000)
    _pick_in_stock_list(kitchen, item.code)
    dialog = _as_manager(qtbot, kitchen, kitchen.stock.sold_out_button, "9999", "burnt the batch")
    qtbot.waitUntil(lambda: not counter.menu_panel.buttons[item.code].isEnabled(), timeout=30000)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30000)
    kitchen.stock.restock_amount.setValue(5)
    _as_manager(qtbot, kitchen, kitchen.stock.restock_button, "9999", "delivery came")
    qtbot.waitUntil(lambda: counter.menu_panel.buttons[item.code].isEnabled(), timeout=30000)
    assert counter.menu_panel.buttons[item.code].item.stock == 5


@pytest.fixture(params=["local", "remote"])
def kitchen_till(request, tmp_path: Path):
    """(shop, staff file) of a kitchen display: the embedded shop on its staff file, or a till signed in
    with the kitchen's own PIN over the real shop server on loopback."""
    from tests.http.served import till_with_staff_file
    with till_with_staff_file(request.param, tmp_path, who="kitchen:2222") as (till, staff_path, _):
        yield till, staff_path


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_kitchen_sells_out_and_restocks_only_with_a_managers_pin_and_a_reason_audited(
        qtbot, kitchen_till, language):
    """Point 11: as at the counter, in every mode. A wrong PIN (the kitchen's own) or no reason changes
    nothing; the manager's PIN does, recorded with the manager's name and the reason given."""
    from pos_app.app import build_shop_app
    from screens_common.i18n import set_language, tr
    shop, staff_path = kitchen_till
    built = build_shop_app(shop, "kitchen", language)
    try:
        for window in built.windows:
            qtbot.addWidget(window)
        built.show(kitchen_full_screen=False)
        kitchen = built.kitchen
        qtbot.waitUntil(lambda: kitchen.stock.stock_list.count() > 0, timeout=10000)
        item = next(i for i in shop.menu() if i.stock > 0)
        _pick_in_stock_list(kitchen, item.code)

        dialog = _as_manager(qtbot, kitchen, kitchen.stock.sold_out_button, "", "burnt")
        assert dialog.message.text() == tr("pin.ask")
        dialog.pin.setText("9999")
        dialog.reason.setText("  ")
        qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
        assert dialog.message.text() == tr("mgr.need_reason")
        dialog.pin.setText("2222")                                  # the kitchen's PIN is not a manager's
        dialog.reason.setText("burnt")
        qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.message.kind == "error" and dialog.message.text() not in
                        (tr("pin.ask"), tr("mgr.need_reason")), timeout=10000)
        assert dialog.isVisible() and dialog.pin.text() == "" and dialog.confirm.isEnabled()
        assert next(i for i in shop.menu() if i.code == item.code).stock == item.stock
        assert _stock_audit(staff_path) == []

        if language == "ko":            # a Korean wall screen: the dialog reads in Korean
            for label in (dialog.what, dialog.box.pin_label, dialog.box.reason_label, dialog.message):
                assert re.search("[가-힣]", label.text()), label.text()
            for button in (dialog.confirm, dialog.cancel):
                assert not re.search("[A-Za-z]", button.text()), button.text()
            assert re.search("[가-힣]", dialog.box.title()) and re.search("[가-힣]", dialog.windowTitle())
            assert item.name_en not in dialog.what.text()
            set_language("en")          # switched while the dialog is open: the item is named again
            assert item.name_en in dialog.what.text()
            set_language("ko")

        dialog.pin.setText("9999")
        qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
        qtbot.waitUntil(lambda: next(i for i in shop.menu() if i.code == item.code).sold_out, timeout=10000)
        assert kitchen.message.text() == tr("mgr.saved_by", who="manager")

        kitchen.stock.restock_amount.setValue(4)
        _as_manager(qtbot, kitchen, kitchen.stock.restock_button, "9999", "delivery came")
        qtbot.waitUntil(lambda: next(i for i in shop.menu() if i.code == item.code).stock == 4, timeout=10000)
        qtbot.waitUntil(lambda: len(_stock_audit(staff_path)) == 2, timeout=10000)
        assert _stock_audit(staff_path) == [("manager", "sold_out", item.code, "burnt", "ok"),
                                            ("manager", "restock", f"{item.code} +4", "delivery came", "ok")]
    finally:
        built.close()
        set_language("en")
