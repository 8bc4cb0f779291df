"""The staff file as the embedded shop uses it: manager PINs checked (and guessing slowed down, as the
shop server's sign-in slows an address), the manager's actions audited, and the manager's staff list,
all in the very file (``shop.staff.sqlite``) and code the shop server uses, so a shop that starts
serving later finds its staff and audit as they were.

The file is opened per call: a manager's PIN and the staff list are wanted a few times a day, and the
shop server's processes may hold it meanwhile (SQLite's busy timeout lets them take turns)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from services.errors import PinsThrottled
from services.http.auth import AuthError, Principal, StaffStore
from services.port import StaffMember
from services.staff_commands import DeactivateStaff, SaveStaff

# The "address" whose wrong PINs the limiter counts: the embedded shop's tills share one staff file.
THIS_TILL = "till (embedded shop)"


class StaffFile:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _store(self) -> Iterator[StaffStore]:
        # A new file starts with the demo staff (the demo manager's 9999, to be changed on the Staff screen);
        # a file that exists (a shop server's, made without them) is never given their published PINs.
        store = StaffStore(self.path, seed_demo=not self.path.exists())
        try:
            yield store
        finally:
            store.close()

    def manager_with_pin(self, pin: str) -> str | None:
        """The active manager whose PIN this is, or None; PinsThrottled after too many wrong PINs lately."""
        with self._store() as store:
            try:
                return store.manager_with_pin(pin, THIS_TILL)
            except AuthError as slow:
                raise PinsThrottled(slow.message, slow.retry_after_s or 1) from None

    def audit(self, staff_id: str, action: str, target: str, reason: str, outcome: str) -> None:
        with self._store() as store:
            store.audit(_manager(staff_id), action, target, reason, outcome)

    def members(self) -> list[StaffMember]:
        with self._store() as store:
            return [staff_member(row) for row in store.staff()]

    def save(self, command: SaveStaff) -> None:
        with self._store() as store:
            store.save_staff(command, _manager(command.staff))

    def deactivate(self, command: DeactivateStaff) -> None:
        with self._store() as store:
            store.deactivate(command, _manager(command.staff))


def staff_member(row: dict) -> StaffMember:
    return StaffMember(row["staff_id"], row["name"], row["role"], row.get("active", True), row["locked"])


def _manager(staff_id: str) -> Principal:
    return Principal(staff_id, staff_id, "manager", 0.0)
