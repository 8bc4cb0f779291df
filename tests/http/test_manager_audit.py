"""The manager's stock actions through RemoteShop (issue 11 point 11): with a manager verified by PIN the
till's call goes as that manager, and the shop server's audit records who and why, even when the till
itself signed in as the counter."""
from __future__ import annotations

from services.http.auth import StaffStore
from tests.http.served import remote_shop_over


def test_a_remote_till_signed_in_as_counter_restocks_as_the_manager_and_the_server_audits_why(local_shop, tmp_path):
    with remote_shop_over(local_shop, tmp_path, who="counter:1111") as remote:
        manager = remote.verify_manager_pin("9999")
        code = remote.menu()[0].code
        remote.restock(code, 2, staff=manager, reason="delivery came")
        remote.mark_sold_out(code, staff=manager, reason="burnt")
        remote.set_gift_stock(4, staff=manager, reason="new box")
    store = StaffStore(tmp_path / "remote-contract.staff.sqlite")
    try:
        rows = [(a.staff_id, a.role, a.action, a.reason, a.outcome) for a in store.audit_log()
                if a.action in ("restock", "sold_out", "gift_stock")]
    finally:
        store.close()
    assert sorted(rows) == sorted([("manager", "manager", "restock", "delivery came", "ok"),
                                   ("manager", "manager", "sold_out", "burnt", "ok"),
                                   ("manager", "manager", "gift_stock", "new box", "ok")])
    assert local_shop.gift_stock().quantity == 4
