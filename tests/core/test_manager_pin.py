"""A manager's PIN on the embedded shop is checked against the staff file the shop server would use;
through a shop server, a counter till given a manager's PIN closes the day as that manager."""
from __future__ import annotations

import pytest

from services.errors import PinRefused
from services.http.auth import StaffStore, manager_pin_checker
from services.local import open_local_shop
from tests.http.served import remote_shop_over


def test_the_embedded_shop_checks_manager_pins_against_the_staff_file(tmp_path):
    shop = open_local_shop(tmp_path / "shop.sqlite", scheduler=False,
                           manager_pins=manager_pin_checker(tmp_path / "shop.staff.sqlite"))
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
