"""Role tokens: every route refuses a missing or wrong-role token; PIN lockout; the audit log."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from services.http.auth import AuthError
from tests.contract.helpers import wait_until
from tests.http.conftest import PINS, an_item, order_body, sign_in

ROLES = ("counter", "kitchen", "rider", "manager")
PATH_VALUES = {"orderId": "1", "itemCode": "X1", "staffId": "counter"}


def guarded_routes(client) -> list[tuple[str, str, list[str]]]:
    spec = client.get("/openapi.json").json()
    routes = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if "x-roles" in op:
                concrete = path
                for name, value in PATH_VALUES.items():
                    concrete = concrete.replace("{" + name + "}", value)
                routes.append((method.upper(), concrete, op["x-roles"]))
    return routes


def test_every_route_refuses_a_missing_bad_or_wrong_role_token(client):
    tokens = {role: sign_in(client, role) for role in ROLES}
    routes = guarded_routes(client)
    assert len(routes) >= 20
    for method, path, allowed in routes:
        assert "manager" in allowed
        for headers, why in (({}, "no token"), ({"Authorization": "Bearer not-a-token"}, "unknown token"),
                             ({"Authorization": "Basic Y291bnRlcjoxMTEx"}, "not a bearer token")):
            r = client.request(method, path, headers=headers, json={})
            assert r.status_code in (401, 403), f"{method} {path} with {why}: {r.status_code}"
            assert r.json()["message"]
        for role in ROLES:
            if role in allowed:
                continue
            r = client.request(method, path, headers=tokens[role], json={})
            assert r.status_code == 403, f"{method} {path} as {role}: {r.status_code} {r.text}"
            assert role in r.json()["message"]


def test_each_role_opens_its_own_routes(client):
    item_code = an_item(client, sign_in(client, "manager"))["code"]
    counter, kitchen, rider = (sign_in(client, r) for r in ("counter", "kitchen", "rider"))
    order_id = client.post("/orders", json=order_body(item_code), headers=counter).json()["orderId"]
    assert client.post(f"/cooks/{order_id}/start", headers=kitchen).status_code == 200
    assert client.get("/deliveries", headers=rider).status_code == 200
    assert client.post("/orders", json=order_body(item_code), headers=kitchen).status_code == 403
    assert client.post(f"/cooks/{order_id}/finish", headers=rider).status_code == 403


def test_five_wrong_pins_lock_until_a_manager_unlocks(client):
    for attempt in range(1, 5):
        r = client.post("/auth/sign-in", json={"staffId": "kitchen", "pin": "0000"})
        assert r.status_code == 401 and f"{5 - attempt} tries left" in r.json()["message"]
    r = client.post("/auth/sign-in", json={"staffId": "kitchen", "pin": "0000"})
    assert r.status_code == 423 and "locked" in r.json()["message"]
    r = client.post("/auth/sign-in", json={"staffId": "kitchen", "pin": PINS["kitchen"]})
    assert r.status_code == 423, "the right PIN must not open a locked account"
    assert client.post("/auth/staff/kitchen/unlock", json={"reason": "forgot PIN"},
                       headers=sign_in(client, "counter")).status_code == 403
    manager = sign_in(client, "manager")
    staff = {s["staffId"]: s for s in client.get("/auth/staff", headers=manager).json()}
    assert staff["kitchen"]["locked"] is True
    assert client.post("/auth/staff/kitchen/unlock", json={"reason": "forgot PIN"}, headers=manager).status_code == 200
    assert client.post("/auth/sign-in", json={"staffId": "kitchen", "pin": PINS["kitchen"]}).status_code == 200
    actions = [(a["action"], a["target"]) for a in client.get("/auth/audit", headers=manager).json()]
    assert ("lock", "kitchen") in actions and ("unlock", "kitchen") in actions


def test_wrong_pins_count_per_account_and_reset_on_success(client):
    for _ in range(4):
        client.post("/auth/sign-in", json={"staffId": "rider", "pin": "0000"})
    sign_in(client, "rider")                       # the right PIN resets the count
    for _ in range(4):
        assert client.post("/auth/sign-in", json={"staffId": "rider", "pin": "0000"}).status_code == 401
    assert client.post("/auth/sign-in", json={"staffId": "nobody", "pin": "1"}).status_code == 401


def test_cancel_sold_out_restock_and_gift_stock_are_audited_with_who_when_why(client):
    counter, kitchen, manager = (sign_in(client, r) for r in ("counter", "kitchen", "manager"))
    item_code = an_item(client, counter)["code"]
    before = datetime.now(timezone.utc)
    order_id = client.post("/orders", json=order_body(item_code), headers=counter).json()["orderId"]
    assert client.post("/cancellations", json={"orderId": order_id, "reason": "customer left"},
                       headers=counter).status_code == 200
    # Stock is a manager's: the kitchen's own token is refused (its screen asks for a manager's PIN).
    assert client.post(f"/cooks/menu/{item_code}/sold-out", json={"reason": "burnt batch"},
                       headers=kitchen).status_code == 403
    assert client.post(f"/cooks/menu/{item_code}/sold-out", json={"reason": "burnt batch"},
                       headers=manager).status_code == 200
    assert client.post(f"/cooks/menu/{item_code}/restock", json={"quantity": 5, "reason": "delivery came"},
                       headers=manager).status_code == 200
    assert client.put("/gifts/stock", json={"quantity": 7, "giftKind": "Candy", "reason": "new box"},
                      headers=manager).status_code == 200
    log = client.get("/auth/audit", headers=manager).json()
    rows = {a["action"]: a for a in log}
    expected = {"cancel": ("counter", "customer left"), "sold_out": ("manager", "burnt batch"),
                "restock": ("manager", "delivery came"), "gift_stock": ("manager", "new box")}
    for action, (who, why) in expected.items():
        row = rows[action]
        assert (row["staffId"], row["reason"], row["outcome"]) == (who, why, "ok"), row
        assert datetime.fromisoformat(row["at"]) >= before.replace(microsecond=0)
    assert client.get("/auth/audit", headers=kitchen).status_code == 403


def test_a_refused_change_is_audited_too(client):
    manager = sign_in(client, "manager")
    r = client.post("/cooks/menu/NO-SUCH-ITEM/sold-out", json={"reason": "typo"}, headers=manager)
    assert r.status_code == 404
    row = client.get("/auth/audit", headers=manager).json()[0]
    assert row["action"] == "sold_out" and row["outcome"].startswith("refused")


@pytest.mark.parametrize("body", [{"staffId": "counter"}, {"pin": "1111"}, {"staffId": "", "pin": ""}])
def test_sign_in_needs_staff_id_and_pin(client, body):
    assert client.post("/auth/sign-in", json=body).status_code == 422


def test_sessions_survive_a_restart_and_sign_out_ends_them(tmp_path):
    from services.http.auth import StaffStore
    first = StaffStore(tmp_path / "staff.sqlite")
    token, who = first.sign_in("counter", "1111")
    first.close()
    again = StaffStore(tmp_path / "staff.sqlite")     # a restarted server: nothing cached
    try:
        assert again.principal(token).staff_id == who.staff_id == "counter"
        again.sign_out(token)
        assert again.principal(token) is None
        assert again.principal("made-up") is None
    finally:
        again.close()


def test_a_new_pin_or_role_ends_the_sessions_signed_in_with_the_old_one(tmp_path):
    """A demoted manager or a departing cook whose PIN was changed must not keep a 12-hour token."""
    from services.http.auth import StaffStore
    store = StaffStore(tmp_path / "staff.sqlite")
    try:
        manager_token, _ = store.sign_in("manager", "9999")
        counter_token, _ = store.sign_in("counter", "1111")
        assert store.principal(manager_token).role == "manager"     # cached in this process now
        store.add_staff("manager", "Manager", "counter", "4321")
        assert store.principal(manager_token) is None
        assert store.principal(counter_token).staff_id == "counter", "someone else's session stays"
        assert store.sign_in("manager", "4321")[1].role == "counter"
    finally:
        store.close()


def test_a_lockout_expires_by_itself_after_15_minutes(tmp_path):
    from services.http.auth import LOCKOUT_S, StaffStore
    now = [1_000_000.0]
    store = StaffStore(tmp_path / "s.staff.sqlite", clock=lambda: now[0])
    try:
        for _ in range(5):
            with pytest.raises(AuthError):
                store.sign_in("manager", "0000")
        with pytest.raises(AuthError, match="unlocks by itself in about 15 min") as locked:
            store.sign_in("manager", PINS["manager"])
        assert locked.value.status == 423
        now[0] += LOCKOUT_S - 5
        with pytest.raises(AuthError, match="about 1 min"):
            store.sign_in("manager", PINS["manager"])
        now[0] += 5
        assert store.sign_in("manager", PINS["manager"])[1].role == "manager"
        assert ("system", "unlock", "manager", "lockout expired") in [
            (a.staff_id, a.action, a.target, a.reason) for a in store.audit_log()]
    finally:
        store.close()


def test_one_address_guessing_pins_is_slowed_down(client):
    """Ten wrong PINs from one address are free (a shop's till mistypes); after that the address must
    wait, longer each time, whichever account it tries: it cannot lock every account out at speed."""
    for i in range(10):
        staff_id = ("counter2", "rider", "nobody")[i % 3]   # none of them reaches 5 and locks
        assert client.post("/auth/sign-in", json={"staffId": staff_id, "pin": "0000"}).status_code == 401
    r = client.post("/auth/sign-in", json={"staffId": "manager", "pin": PINS["manager"]})
    assert r.status_code == 429 and r.json()["code"] == "slow_down", r.text
    assert int(r.headers["retry-after"]) >= 1 and "try again in" in r.json()["message"]
    # Once the wait has passed the address is heard again (and the right PIN clears its count).
    wait_until(lambda: client.post("/auth/sign-in", json={"staffId": "manager", "pin": PINS["manager"]})
               .status_code == 200, timeout=60, interval=0.2)
    assert client.post("/auth/sign-in", json={"staffId": "rider", "pin": "0000"}).status_code == 401


def test_unlock_on_the_server_machine_is_audited(served, client):
    import subprocess
    import sys
    from pathlib import Path
    for _ in range(5):
        client.post("/auth/sign-in", json={"staffId": "manager", "pin": "0000"})
    assert client.post("/auth/sign-in", json={"staffId": "manager", "pin": PINS["manager"]}).status_code == 423
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "main.py", "unlock", "manager", "--db", str(served.db_path)],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Unlocked manager" in done.stdout, done.stdout + done.stderr
    manager = sign_in(client, "manager")
    audit = client.get("/auth/audit", headers=manager).json()
    assert any(a["action"] == "unlock" and a["target"] == "manager" and a["staffId"].startswith("console:")
               for a in audit)
    unknown = subprocess.run([sys.executable, "main.py", "unlock", "nobody", "--db", str(served.db_path)],
                             cwd=root, capture_output=True, text=True, timeout=120)
    assert unknown.returncode == 1 and "No staff with id 'nobody'" in unknown.stdout
