"""A manager's PIN on the embedded shop is checked against the staff file the shop server would use;
through a shop server, a counter till given a manager's PIN closes the day as that manager."""
from __future__ import annotations

import pytest

from services.errors import PinRefused
from services.http.auth import StaffStore
from services.http.staff_file import StaffFile
from services.local import open_local_shop
from tests.http.served import remote_shop_over


def test_the_embedded_shop_checks_manager_pins_against_the_staff_file(tmp_path):
    shop = open_local_shop(tmp_path / "shop.sqlite", scheduler=False,
                           staff=StaffFile(tmp_path / "shop.staff.sqlite"))
    try:
        assert shop.verify_manager_pin("9999") == "manager"
        for pin in ("1111", "", "99999"):               # a counter's PIN is not a manager's
            with pytest.raises(PinRefused):
                shop.verify_manager_pin(pin)
        store = StaffStore(tmp_path / "shop.staff.sqlite")
        store.add_staff("boss", "사장님 Boss", "manager", "4321")
        store.close()
        assert shop.verify_manager_pin("4321") == "boss"
    finally:
        shop.close()


def test_a_counter_till_closes_the_day_as_the_manager_whose_pin_it_was_given(local_shop, tmp_path):
    with remote_shop_over(local_shop, tmp_path, who="counter:1111") as till:
        till.open_day(0)
        from services.remote.errors import NotAllowed
        with pytest.raises(NotAllowed):
            till.close_day(0)                          # a counter may not close the day
        with pytest.raises(PinRefused):
            till.verify_manager_pin("1111")
        assert till.verify_manager_pin("9999") == "manager"
        report = till.close_day(0)
        assert (report.kind, report.closed_by, report.opened_by) == ("Z", "manager", "counter")


def test_manager_pins_guessed_at_the_embedded_till_are_slowed_down_as_the_servers_sign_in_is(tmp_path):
    """The server's limiter (services.http.pin_limiter), on the till: ten wrong PINs are free, then each
    try waits; while it must wait even the right PIN is refused unchecked, with how long to wait."""
    from services.errors import PinsThrottled
    from services.http.pin_limiter import FREE_FAILURES_PER_ADDRESS
    from tests.contract.helpers import wait_until
    shop = open_local_shop(tmp_path / "shop.sqlite", scheduler=False, staff=StaffFile(tmp_path / "shop.staff.sqlite"))
    try:
        for _ in range(FREE_FAILURES_PER_ADDRESS):
            with pytest.raises(PinRefused) as refused:
                shop.verify_manager_pin("0000")
            assert not isinstance(refused.value, PinsThrottled)
        with pytest.raises(PinsThrottled, match=r"Too many wrong PINs from this terminal: try again in \d+ s") as slow:
            shop.verify_manager_pin("9999")
        assert slow.value.code == "slow_down" and slow.value.retry_after_s >= 1

        def right_pin_accepted() -> bool:
            try:
                return shop.verify_manager_pin("9999") == "manager"
            except PinsThrottled:
                return False
        wait_until(right_pin_accepted, timeout=30)
        shop.verify_manager_pin("9999")            # a right PIN cleared the count
    finally:
        shop.close()


def test_the_staff_file_is_created_readable_by_its_owner_only(tmp_path):
    import os
    import stat
    StaffStore(tmp_path / "shop.staff.sqlite").close()
    for name in ("shop.staff.sqlite", "shop.staff.sqlite-wal"):
        if (tmp_path / name).exists():
            assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) & 0o077 == 0, name
    assert stat.S_IMODE(os.stat(tmp_path / "shop.staff.sqlite").st_mode) == 0o600


def test_the_embedded_shop_audits_category_and_item_changes_with_who_and_why(tmp_path):
    from services.port import SaveCategory, SaveMenuItem
    shop = open_local_shop(tmp_path / "shop.sqlite", scheduler=False, staff=StaffFile(tmp_path / "shop.staff.sqlite"))
    try:
        manager = shop.verify_manager_pin("9999")
        shop.save_category(SaveCategory("soups", "국", "Soups", staff=manager, reason="winter menu"))
        shop.save_menu_item(SaveMenuItem("tteokguk", "떡국", "Rice cake soup", 9_000, "soups", staff=manager,
                                         reason="winter menu"))
    finally:
        shop.close()
    store = StaffStore(tmp_path / "shop.staff.sqlite")
    try:
        rows = [(a.staff_id, a.action, a.target, a.reason, a.outcome) for a in reversed(store.audit_log())]
    finally:
        store.close()
    assert rows == [("manager", "save_category", "soups 국 Soups", "winter menu", "ok"),
                    ("manager", "save_menu_item", "tteokguk ₩9,000", "winter menu", "ok")]


def test_the_embedded_shop_never_gives_a_servers_staff_file_the_demo_pins(tmp_path):
    """A staff file made without the demo staff (a real shop server's) stays without them when the
    embedded app opens the same shop; a new one starts with them."""
    store = StaffStore(tmp_path / "shop.staff.sqlite", seed_demo=False)
    store.add_staff("boss", "사장님 Boss", "manager", "480213")
    store.close()
    shop = open_local_shop(tmp_path / "shop.sqlite", scheduler=False, staff=StaffFile(tmp_path / "shop.staff.sqlite"))
    try:
        with pytest.raises(PinRefused):
            shop.verify_manager_pin("9999")
        assert shop.verify_manager_pin("480213") == "boss"
        assert [m.staff_id for m in shop.staff_members()] == ["boss"]
    finally:
        shop.close()
