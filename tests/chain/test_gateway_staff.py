"""The staff list against the chain: its gateway is the shop server's app over the gateway's own staff
file, so a till pointed at the chain manages the chain's staff through the same port calls and routes
(the staff is the gateway's, not a context's: no service is involved)."""
from __future__ import annotations

import httpx
import pytest

from services.errors import WeakPin
from services.port import DeactivateStaff, SaveStaff
from services.remote import open_remote_shop


def test_a_till_on_the_chain_adds_and_deactivates_a_person_as_the_manager(running_chain, tmp_path):
    till = open_remote_shop(running_chain.url, "counter:1111", queue_path=tmp_path / "queue.sqlite")
    try:
        manager = till.verify_manager_pin("9999")
        assert {"counter", "kitchen", "rider", "manager"} <= {m.staff_id for m in till.staff_members()}
        with pytest.raises(WeakPin):
            till.save_staff(SaveStaff("chainrider", "오하준 Oh Hajun", "rider", "99", staff=manager))
        till.save_staff(SaveStaff("chainrider", "오하준 Oh Hajun", "rider", "6042", staff=manager, reason="new rider"))
        signed = httpx.post(f"{running_chain.url}/auth/sign-in", json={"staffId": "chainrider", "pin": "6042"}, timeout=30)
        assert signed.status_code == 200 and signed.json()["role"] == "rider"
        till.deactivate_staff(DeactivateStaff("chainrider", staff=manager, reason="season over"))
        again = httpx.post(f"{running_chain.url}/auth/sign-in", json={"staffId": "chainrider", "pin": "6042"}, timeout=30)
        assert again.status_code == 403 and again.json()["code"] == "deactivated"
        me = httpx.get(f"{running_chain.url}/auth/me", timeout=30,
                       headers={"Authorization": f"Bearer {signed.json()['token']}"})
        assert me.status_code == 401, "deactivating ended the session"
    finally:
        till.close()
