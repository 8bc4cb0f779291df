"""The manager's back office on screen (issue 14 point 6): the staff list and the menu's categories,
behind the manager's PIN and audited with who and why — real widgets offscreen, on the embedded shop
(LocalShop + its staff file) and on a remote till (RemoteShop signed in as the counter, over the real
shop server on loopback), in English and in Korean."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from services.http.auth import StaffStore


@pytest.fixture(params=["local", "remote"])
def till(request, tmp_path: Path):
    """(shop, staff file): the shop the screens use, and the staff file its manager's changes land in."""
    from tests.http.served import till_with_staff_file
    with till_with_staff_file(request.param, tmp_path) as (shop, staff_path, _):
        yield shop, staff_path


@pytest.fixture(params=["en", "ko"])
def language(request):
    from screens_common.i18n import set_language
    set_language(request.param)
    yield request.param
    set_language("en")


def _audit(staff_path: Path, *actions: str) -> list[tuple[str, str, str, str, str]]:
    store = StaffStore(staff_path)
    try:
        return [(a.staff_id, a.action, a.target, a.reason, a.outcome) for a in reversed(store.audit_log())
                if a.action in actions]
    finally:
        store.close()


def _unlock(qtbot, window, pin: str = "9999") -> None:
    window.unlock_box.pin.setText(pin)
    qtbot.mouseClick(window.unlock_box.ok, Qt.MouseButton.LeftButton)


def _cells(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_staff_window_adds_changes_and_deactivates_people_behind_the_managers_pin(qtbot, till, language):
    from pos_app.staff_dialog import StaffDialog
    from screens_common.i18n import tr
    shop, staff_path = till
    dialog = StaffDialog(shop)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.body.isEnabled() and dialog.table.rowCount() == 0, "nothing shown before the PIN"
    _unlock(qtbot, dialog, "1111")                                     # a counter's PIN
    qtbot.waitUntil(lambda: dialog.message.kind == "error", timeout=10000)
    assert not dialog.body.isEnabled()
    _unlock(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.body.isEnabled() and dialog.table.rowCount() == 5, timeout=10000)
    rows = _cells(dialog.table)
    assert ["counter", "김민지 Kim Minji", tr("staff_role.counter"), tr("staff.active")] in rows
    assert not any(pin in cell for row in rows for cell in row for pin in ("1111", "2222", "9999")), "no PIN shown"

    qtbot.mouseClick(dialog.new, Qt.MouseButton.LeftButton)
    dialog.staff_id.setText("counter3")
    dialog.name.setText("한지우 Han Jiwoo")
    dialog.new_pin.setText("12")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)            # no reason yet
    assert dialog.message.text() == tr("mgr.need_reason")
    dialog.unlock_box.reason.setText("new hire")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)            # a weak PIN, refused on the spot
    expected = "A PIN must be 4-12 digits (0-9 only)" if language == "en" else "PIN은 숫자 4~12자리여야 합니다."
    assert dialog.message.kind == "error" and dialog.message.text() == expected
    assert dialog.new_pin.text() == "", "a refused PIN is not left on screen"
    dialog.message.clear_message()
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)            # no PIN: a new person needs one
    qtbot.waitUntil(lambda: dialog.message.kind == "error", timeout=10000)
    assert dialog.message.text() == ("counter3 is new: give them a PIN" if language == "en" else tr("error.pin_needed"))
    dialog.new_pin.setText("4821")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.kind == "info", timeout=10000)
    assert dialog.message.text() == tr("staff.saved", id="counter3") and dialog.new_pin.text() == ""
    assert ["counter3", "한지우 Han Jiwoo", tr("staff_role.counter"), tr("staff.active")] in _cells(dialog.table)

    dialog.table.selectRow([r[0] for r in _cells(dialog.table)].index("counter3"))
    assert not dialog.staff_id.isEnabled() and dialog.name.text() == "한지우 Han Jiwoo"
    dialog.role.setCurrentIndex(dialog.role.findData("kitchen"))
    dialog.unlock_box.reason.setText("moved to the kitchen")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ["counter3", "한지우 Han Jiwoo", tr("staff_role.kitchen"), tr("staff.active")]
                    in _cells(dialog.table), timeout=10000)
    dialog.unlock_box.reason.setText("left the shop")
    qtbot.mouseClick(dialog.deactivate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ["counter3", "한지우 Han Jiwoo", tr("staff_role.kitchen"), tr("staff.inactive")]
                    in _cells(dialog.table), timeout=10000)
    assert dialog.message.text() == tr("staff.deactivated", id="counter3")

    assert _audit(staff_path, "save_staff", "deactivate_staff") == [
        ("manager", "save_staff", "counter3 (counter)", "new hire", "refused: pin_needed"),    # refusals too
        ("manager", "save_staff", "counter3 (counter, new PIN)", "new hire", "ok"),
        ("manager", "save_staff", "counter3 (kitchen)", "moved to the kitchen", "ok"),
        ("manager", "deactivate_staff", "counter3", "left the shop", "ok")]
    store = StaffStore(staff_path)
    try:
        with pytest.raises(Exception, match="deactivated"):
            store.sign_in("counter3", "4821")
    finally:
        store.close()

    dialog.hide()                                                       # closing locks it
    assert not dialog.body.isEnabled() and dialog.unlock_box.manager == "" and dialog.table.rowCount() == 0


def test_the_menu_editor_adds_and_renames_categories_behind_the_managers_pin(qtbot, till, language):
    from pos_app.menu_editor import MenuEditor
    from screens_common.i18n import tr
    shop, staff_path = till
    editor = MenuEditor(shop)
    qtbot.addWidget(editor)
    editor.show()
    assert not editor.tabs.isEnabled()
    _unlock(qtbot, editor)
    qtbot.waitUntil(lambda: editor.tabs.isEnabled() and editor.categories_tab.table.rowCount() > 0, timeout=10000)
    tab = editor.categories_tab
    editor.tabs.setCurrentWidget(tab)
    before = tab.table.rowCount()

    qtbot.mouseClick(tab.new, Qt.MouseButton.LeftButton)
    tab.code.setText("soups")
    tab.name_ko.setText("국")
    tab.name_en.setText("Soups")
    qtbot.mouseClick(tab.save, Qt.MouseButton.LeftButton)               # no reason: nothing saved
    assert editor.message.text() == tr("mgr.need_reason") and "soups" not in [c.code for c in shop.categories()]
    editor.unlock_box.reason.setText("winter menu")
    tab.code.setText("Soups!")                                          # a bad code, in the manager's language
    qtbot.mouseClick(tab.save, Qt.MouseButton.LeftButton)
    assert editor.message.text() == tr("menu_edit.bad_code")
    tab.code.setText("soups")
    qtbot.mouseClick(tab.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.table.rowCount() == before + 1, timeout=10000)
    assert ["soups", "국", "Soups"] == _cells(tab.table)[-1], "a new category comes last"
    assert editor.category.findData("soups") >= 0, "the items' category list follows at once"

    tab.table.selectRow(before)
    assert not tab.code.isEnabled()
    tab.name_ko.setText("국물 요리")
    tab.name_en.setText("Soups & stews")
    qtbot.mouseClick(tab.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ["soups", "국물 요리", "Soups & stews"] in _cells(tab.table), timeout=10000)
    assert [(c.name_ko, c.name_en) for c in shop.categories() if c.code == "soups"] == [("국물 요리", "Soups & stews")]
    assert tab.table.rowCount() == before + 1, "renamed, not added"
    assert _audit(staff_path, "save_category") == [
        ("manager", "save_category", "soups 국 Soups", "winter menu", "ok"),
        ("manager", "save_category", "soups 국물 요리 Soups & stews", "winter menu", "ok")]
    editor.hide()
    assert not editor.tabs.isEnabled() and editor.manager == ""


def test_guessing_the_managers_pin_at_the_till_is_slowed_down_with_a_clear_message(qtbot, language, tmp_path):
    from pos_app.staff_dialog import StaffDialog
    from screens_common.i18n import tr
    from services.http.pin_limiter import FREE_FAILURES_PER_ADDRESS
    from services.http.staff_file import StaffFile
    from services.local import open_local_shop
    shop = open_local_shop(tmp_path / "shop.sqlite", scheduler=False, staff=StaffFile(tmp_path / "staff.sqlite"))
    try:
        dialog = StaffDialog(shop)
        qtbot.addWidget(dialog)
        dialog.show()
        for attempt in range(FREE_FAILURES_PER_ADDRESS):
            dialog.message.clear_message()
            _unlock(qtbot, dialog, f"000{attempt}")
            qtbot.waitUntil(lambda: dialog.message.kind == "error", timeout=10000)
            refused = "That is not a manager's PIN" if language == "en" else tr("error.pin_refused")
            assert dialog.message.text() == refused
        dialog.message.clear_message()
        _unlock(qtbot, dialog)                                         # the right PIN, but too soon
        qtbot.waitUntil(lambda: dialog.message.kind == "error", timeout=10000)
        text = dialog.message.text()
        assert (text.startswith("Too many wrong PINs from this terminal: try again in ") if language == "en"
                else text.startswith("PIN을 너무 여러 번 틀렸습니다.") and "초 뒤에" in text), text
        assert not dialog.body.isEnabled()
        dialog.hide()
    finally:
        shop.close()


def test_the_toolbar_opens_the_staff_window(qtbot, shop_app):
    dialog = shop_app.main.open_staff()
    assert dialog.isVisible() and not dialog.body.isEnabled()
    assert shop_app.main.staff_button.text() == "Staff…"
