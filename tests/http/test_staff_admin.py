"""The manager's staff list through the port (issue 14 point 6), in both ways a till reaches it: the
embedded shop (LocalShop on the staff file, as main.py opens it) and a remote till (RemoteShop over the
real shop server on loopback). Add a person, change a role or a PIN (their sessions end), deactivate
them; a weak PIN is refused before anything is sent; every change is audited with who and why and no
PIN is ever shown or logged."""
from __future__ import annotations

import httpx
import pytest

from services.errors import InvalidTransition, PinNeeded, PinRefused, UnknownStaff, WeakPin
from services.http.auth import StaffStore
from services.http.staff_file import StaffFile
from services.port import DeactivateStaff, SaveStaff, Shop, StaffMember
from tests.http.served import till_with_staff_file


@pytest.fixture(params=["local", "remote"])
def staffed(request, tmp_path):
    """(shop, staff file path, server url or None): the till whose manager edits the staff."""
    with till_with_staff_file(request.param, tmp_path) as till:
        yield till


def _audit(staff_path) -> list[tuple[str, str, str, str, str]]:
    store = StaffStore(staff_path)
    try:
        return [(a.staff_id, a.action, a.target, a.reason, a.outcome) for a in reversed(store.audit_log())
                if a.action in ("save_staff", "deactivate_staff")]
    finally:
        store.close()


def _session_lives(staff_path, token: str) -> bool:
    """Whether a process that has not seen the token yet (a gateway worker) still accepts it."""
    store = StaffStore(staff_path)
    try:
        return store.principal(token) is not None
    finally:
        store.close()


def _signs_in(url: str | None, staff_path, staff_id: str, pin: str) -> str:
    """How a sign-in with this PIN ends: "ok" or the refusal's code (over HTTP where there is a server)."""
    if url is None:
        store = StaffStore(staff_path)
        try:
            store.sign_in(staff_id, pin)
            return "ok"
        except Exception as refused:     # AuthError
            return getattr(refused, "code", "?")
        finally:
            store.close()
    r = httpx.post(f"{url}/auth/sign-in", json={"staffId": staff_id, "pin": pin}, timeout=10)
    return "ok" if r.status_code == 200 else r.json()["code"]


def test_a_manager_adds_changes_and_deactivates_staff_audited_and_no_pin_is_ever_shown(staffed):
    shop, staff_path, url = staffed
    assert isinstance(shop, Shop)
    manager = shop.verify_manager_pin("9999")
    members = {m.staff_id: m for m in shop.staff_members()}
    assert members["counter"] == StaffMember("counter", "김민지 Kim Minji", "counter", True, False)
    assert "1111" not in repr(members) and not hasattr(members["counter"], "pin")

    shop.save_staff(SaveStaff("counter3", "한지우 Han Jiwoo", "counter", "4821", staff=manager, reason="new hire"))
    assert _signs_in(url, staff_path, "counter3", "4821") == "ok"
    session = StaffStore(staff_path)
    try:
        token, _ = session.sign_in("counter3", "4821")
        shop.save_staff(SaveStaff("counter3", "한지우 Han Jiwoo", "kitchen", staff=manager, reason="moved to kitchen"))
        assert not _session_lives(staff_path, token), "a new role ends the old sessions"
        token, _ = session.sign_in("counter3", "4821")                    # the PIN was kept
        shop.save_staff(SaveStaff("counter3", "한지우 Han Jiwoo", "kitchen", "7390", staff=manager,
                                  reason="forgot PIN"))
        assert not _session_lives(staff_path, token), "a new PIN ends the old sessions"
    finally:
        session.close()
    assert _signs_in(url, staff_path, "counter3", "4821") == "bad_credentials"
    assert _signs_in(url, staff_path, "counter3", "7390") == "ok"
    assert {m.staff_id: m.role for m in shop.staff_members()}["counter3"] == "kitchen"

    shop.deactivate_staff(DeactivateStaff("counter3", staff=manager, reason="left the shop"))
    assert _signs_in(url, staff_path, "counter3", "7390") == "deactivated"
    assert not {m.staff_id: m for m in shop.staff_members()}["counter3"].active

    with pytest.raises(InvalidTransition):
        shop.deactivate_staff(DeactivateStaff(manager, staff=manager, reason="oops"))
    with pytest.raises(InvalidTransition):
        shop.save_staff(SaveStaff(manager, "최지훈 Choi Jihoon", "counter", staff=manager, reason="oops"))
    with pytest.raises(UnknownStaff):
        shop.deactivate_staff(DeactivateStaff("nobody", staff=manager, reason="typo"))

    assert _audit(staff_path) == [
        ("manager", "save_staff", "counter3 (counter, new PIN)", "new hire", "ok"),
        ("manager", "save_staff", "counter3 (kitchen)", "moved to kitchen", "ok"),
        ("manager", "save_staff", "counter3 (kitchen, new PIN)", "forgot PIN", "ok"),
        ("manager", "deactivate_staff", "counter3", "left the shop", "ok"),
        ("manager", "deactivate_staff", "manager", "oops", "refused: invalid_transition"),
        ("manager", "save_staff", "manager (counter)", "oops", "refused: invalid_transition"),
        ("manager", "deactivate_staff", "nobody", "typo", "refused: unknown_staff")]
    assert not any(pin in repr(_audit(staff_path)) for pin in ("4821", "7390"))

    # A new name alone does not let a former employee back in; a new PIN does.
    shop.save_staff(SaveStaff("counter3", "한지우 Han Jiwoo (former)", "kitchen", staff=manager, reason="note"))
    assert _signs_in(url, staff_path, "counter3", "7390") == "deactivated"
    shop.save_staff(SaveStaff("counter3", "한지우 Han Jiwoo", "counter", "5512", staff=manager, reason="came back"))
    assert _signs_in(url, staff_path, "counter3", "5512") == "ok"


@pytest.mark.parametrize("weak", ["12", "123", "12a4", "１２３４", "1234567890123", " 1234"])
def test_a_weak_pin_is_refused_before_anything_is_saved(weak):
    with pytest.raises(WeakPin, match="4-12 digits"):
        SaveStaff("counter3", "한지우", "counter", weak, staff="manager")


def test_a_new_person_needs_a_pin_and_staff_changes_need_a_manager(staffed):
    shop, staff_path, _ = staffed
    manager = shop.verify_manager_pin("9999")
    with pytest.raises(PinNeeded, match="give them a PIN"):
        shop.save_staff(SaveStaff("rider2", "김도윤", "rider", staff=manager, reason="new"))
    assert "rider2" not in {m.staff_id for m in shop.staff_members()}


def test_the_embedded_shop_refuses_staff_changes_without_a_managers_pin(tmp_path):
    from services.local import open_local_shop
    shop = open_local_shop(tmp_path / "shop.sqlite", scheduler=False, staff=StaffFile(tmp_path / "staff.sqlite"))
    try:
        with pytest.raises(PinRefused):
            shop.save_staff(SaveStaff("counter3", "한지우", "counter", "4821"))
        assert "counter3" not in {m.staff_id for m in shop.staff_members()}
    finally:
        shop.close()


def test_any_active_manager_opens_manager_work_with_their_own_pin(staffed):
    """A shop's second manager (the owner) opens manager work with their own PIN, on the embedded shop and
    on a remote till alike, and what they change is audited under their own id; a deactivated manager's
    PIN opens nothing, and a counter's PIN never did."""
    shop, staff_path, _ = staffed
    manager = shop.verify_manager_pin("9999")
    shop.save_staff(SaveStaff("owner", "사장님 Owner", "manager", "480213", staff=manager, reason="the owner"))
    assert shop.verify_manager_pin("480213") == "owner"
    shop.save_staff(SaveStaff("counter3", "한지우", "counter", "4821", staff="owner", reason="new hire"))
    assert _audit(staff_path)[-1] == ("owner", "save_staff", "counter3 (counter, new PIN)", "new hire", "ok")
    with pytest.raises(PinRefused):
        shop.verify_manager_pin("4821")
    shop.deactivate_staff(DeactivateStaff("manager", staff="owner", reason="left the shop"))
    with pytest.raises(PinRefused):
        shop.verify_manager_pin("9999")
