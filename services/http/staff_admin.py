"""The manager's staff list in the staff file (mixed into ``StaffStore``): add a person or change their
name, role or PIN, deactivate them. Each change is audited with who and why, refusals too; a PIN is never
logged. A new PIN, a new role or a deactivation ends the person's sessions in every process (their rows
go; other processes' caches forget them within ``SESSION_CACHE_S``)."""
from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager

from services.errors import InvalidTransition, PinNeeded, ShopError, UnknownStaff
from services.staff_commands import DeactivateStaff, SaveStaff


class StaffAdmin:
    # Provided by StaffStore:
    _db: sqlite3.Connection
    _lock: threading.Lock
    _cache: dict

    def _immediate(self): raise NotImplementedError
    def _salted(self, pin: str) -> tuple[bytes, bytes]: raise NotImplementedError
    def _audit_locked(self, staff_id: str, role: str, action: str, target: str, reason: str, outcome: str) -> None:
        raise NotImplementedError

    # -- the manager's staff list (audited; a PIN is never logged) -----------------------------------
    def save_staff(self, command: SaveStaff, by) -> None:
        """Add ``command``'s person or change them (a deactivated person is active again with a new PIN,
        which also lifts a lockout). A new PIN or role ends their sessions. Refused, and audited as
        refused: a manager taking away their own manager role (InvalidTransition), a new person without
        a PIN (PinNeeded)."""
        with self._lock, self._audited(by, "save_staff", command.audit_target, command.reason), self._immediate():
            if command.staff_id == by.staff_id and command.role != "manager":
                raise InvalidTransition("A manager cannot take away their own manager role")
            row = self._db.execute("SELECT role FROM staff WHERE staff_id=?", (command.staff_id,)).fetchone()
            if row is None and not command.pin:
                raise PinNeeded(f"{command.staff_id} is new: give them a PIN")
            if command.pin:
                self._db.execute("INSERT INTO staff (staff_id, name, role, salt, pin_hash) VALUES (?,?,?,?,?)"
                                 " ON CONFLICT (staff_id) DO UPDATE SET name=excluded.name, role=excluded.role,"
                                 " salt=excluded.salt, pin_hash=excluded.pin_hash, active=1, failed_attempts=0,"
                                 " locked=0",
                                 (command.staff_id, command.name, command.role, *self._salted(command.pin)))
            else:
                # A new name or role alone keeps a deactivated person out: coming back takes a new PIN.
                self._db.execute("UPDATE staff SET name=?, role=? WHERE staff_id=?",
                                 (command.name, command.role, command.staff_id))
            if command.pin or (row is not None and row[0] != command.role):
                self._end_sessions(command.staff_id)

    def deactivate(self, command: DeactivateStaff, by) -> None:
        """Stop ``command.staff_id`` signing in and end their sessions (audited, refusals too)."""
        with self._lock, self._audited(by, "deactivate_staff", command.staff_id, command.reason), self._immediate():
            if command.staff_id == by.staff_id:
                raise InvalidTransition("A manager cannot deactivate themselves")
            if not self._db.execute("UPDATE staff SET active=0 WHERE staff_id=?", (command.staff_id,)).rowcount:
                raise UnknownStaff(f"No staff with id {command.staff_id!r}")
            self._end_sessions(command.staff_id)

    def _end_sessions(self, staff_id: str) -> None:
        self._db.execute("DELETE FROM sessions WHERE staff_id=?", (staff_id,))
        for token, (principal, _) in list(self._cache.items()):
            if principal.staff_id == staff_id:
                self._cache.pop(token, None)

    @contextmanager
    def _audited(self, by, action: str, target: str, reason: str):
        """Audit what the block did (its ShopError's code if it refused), after its transaction ended."""
        try:
            yield
        except ShopError as refused:
            self._audit_locked(by.staff_id, by.role, action, target, reason, f"refused: {refused.code}")
            raise
        self._audit_locked(by.staff_id, by.role, action, target, reason, "ok")

