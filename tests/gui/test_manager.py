"""The Manager dialog (issue 11 point 11): every stock action asks for a manager's PIN and a reason, and
the port records who and why — the embedded shop in its staff file's audit log, offscreen on a real
LocalShop and staff file, in English and in Korean."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from services.http.auth import StaffStore


@pytest.fixture
def shop(staffed_shop):
    return staffed_shop


def _audit(tmp_path: Path) -> list[tuple[str, str, str, str, str]]:
    store = StaffStore(tmp_path / "staff.sqlite")
    try:
        return [(a.staff_id, a.action, a.target, a.reason, a.outcome) for a in store.audit_log()
                if a.action in ("restock", "sold_out", "gift_stock")]
    finally:
        store.close()


def _stock(shop, code: str) -> int:
    return next(i.stock for i in shop.menu() if i.code == code)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_manager_action_asks_for_a_pin_and_a_reason_and_is_audited(qtbot, shop, shop_app, tmp_path, language):
    from screens_common.i18n import set_language, tr
    set_language(language)
    dialog = shop_app.main.open_manager()
    qtbot.waitUntil(lambda: dialog.item.count() > 0, timeout=10000)
    code = dialog.item.currentData()
    before = _stock(shop, code)
    dialog.item_quantity.setValue(3)

    qtbot.mouseClick(dialog.add_stock, Qt.MouseButton.LeftButton)               # no PIN: nothing is done
    assert dialog.message.kind == "error" and dialog.message.text() == tr("pin.ask")
    dialog.pin.setText("9999")
    qtbot.mouseClick(dialog.add_stock, Qt.MouseButton.LeftButton)               # no reason: nothing is done
    assert dialog.message.text() == tr("mgr.need_reason")
    dialog.reason.setText("delivery came")
    dialog.pin.setText("1111")                                                   # a counter's PIN
    qtbot.mouseClick(dialog.add_stock, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.kind == "error" and dialog.message.text() not in
                    (tr("pin.ask"), tr("mgr.need_reason")), timeout=10000)
    assert _stock(shop, code) == before and _audit(tmp_path) == []

    dialog.pin.setText("9999")
    qtbot.mouseClick(dialog.add_stock, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _stock(shop, code) == before + 3, timeout=10000)
    qtbot.waitUntil(lambda: dialog.message.kind == "info", timeout=10000)
    assert dialog.message.text() == tr("mgr.saved_by", who="manager")
    assert dialog.pin.text() == "" and dialog.reason.text() == "", "the next action asks again"

    dialog.pin.setText("9999")
    dialog.reason.setText("burnt the last batch")
    qtbot.mouseClick(dialog.sold_out, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _stock(shop, code) == 0, timeout=10000)

    dialog.pin.setText("9999")
    dialog.reason.setText("new candy box")
    dialog.gift_quantity.setValue(7)
    qtbot.mouseClick(dialog.set_gift, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shop.gift_stock().quantity == 7, timeout=10000)
    qtbot.waitUntil(lambda: len(_audit(tmp_path)) == 3, timeout=10000)
    assert sorted(_audit(tmp_path)) == sorted([
        ("manager", "restock", f"{code} +3", "delivery came", "ok"),
        ("manager", "sold_out", code, "burnt the last batch", "ok"),
        ("manager", "gift_stock", "7", "new candy box", "ok")])


def test_the_korean_manager_windows_have_no_english_button(qtbot, shop, shop_app):
    """Point 6: the PIN's OK button (menu editor, staff) was "OK" on a Korean screen."""
    import re

    from PySide6.QtWidgets import QPushButton

    from screens_common.i18n import set_language
    set_language("ko")
    main = shop_app.main
    boxes = [main.open_menu_editor().unlock_box, main.open_staff().unlock_box, main.open_manager()]
    for box in boxes:
        texts = [button.text() for button in box.findChildren(QPushButton)]
        assert texts and all(texts), type(box).__name__
        assert not [t for t in texts if re.search("[A-Za-z]", t)], (type(box).__name__, texts)
