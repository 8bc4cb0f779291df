"""Commands of the manager's staff list: add a person or change their name, role or PIN; deactivate
them. Pure data, validated on creation (the same checks on a till as on the server, before any network).

A PIN is only ever carried in ``SaveStaff.pin`` on its way to being hashed: it is never shown,
logged or audited (``SaveStaff.audit_target`` says that it changed, not what it is)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from services.commands import MAX_NAME_LENGTH, MAX_REASON_LENGTH, text
from services.errors import InvalidInput, WeakPin

ROLES = ("counter", "kitchen", "rider", "manager")
MIN_PIN_DIGITS, MAX_PIN_DIGITS = 4, 12
_STAFF_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
STAFF_ID_PATTERN = _STAFF_ID.pattern


def staff_id(value) -> str:
    if not isinstance(value, str) or not _STAFF_ID.match(value):
        raise InvalidInput(f"Staff id must be 1-40 lower-case letters, digits, dashes or underscores "
                           f"(e.g. counter3), got {value!r:.40}")
    return value


def pin(value) -> str:
    """``value`` if it is a PIN a person may be given: 4-12 digits, else WeakPin (the PIN not repeated)."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() \
            or not MIN_PIN_DIGITS <= len(value) <= MAX_PIN_DIGITS:
        raise WeakPin(f"A PIN must be {MIN_PIN_DIGITS}-{MAX_PIN_DIGITS} digits (0-9 only)")
    return value


def _reason(value) -> str:
    return text(value, "Reason", MAX_REASON_LENGTH)


@dataclass(frozen=True)
class SaveStaff:
    """Add a staff member or change one. ``pin``: a new PIN, or "" to keep theirs (a new person needs
    one). ``staff``: the manager doing it; ``reason``: why (audited). A new PIN makes a deactivated
    person active again (a new name or role alone does not). A new PIN or role ends the sessions they
    had signed in with."""
    staff_id: str
    name: str
    role: str
    pin: str = ""
    staff: str = ""
    reason: str = ""

    def __post_init__(self) -> None:
        staff_id(self.staff_id)
        name = text(self.name, "Name", MAX_NAME_LENGTH)
        if not name:
            raise InvalidInput("Name must not be blank")
        object.__setattr__(self, "name", name)
        if self.role not in ROLES:
            raise InvalidInput(f"Role must be one of {', '.join(ROLES)}, got {self.role!r:.40}")
        if self.pin != "":
            pin(self.pin)
        object.__setattr__(self, "staff", text(self.staff, "Staff", MAX_NAME_LENGTH))
        object.__setattr__(self, "reason", _reason(self.reason))

    def __repr__(self) -> str:      # never the PIN, even in a traceback or a log line
        return (f"SaveStaff(staff_id={self.staff_id!r}, name={self.name!r}, role={self.role!r}, "
                f"pin={'<new>' if self.pin else '<kept>'}, staff={self.staff!r})")

    @property
    def audit_target(self) -> str:
        return f"{self.staff_id} ({self.role}{', new PIN' if self.pin else ''})"


@dataclass(frozen=True)
class DeactivateStaff:
    """Stop a staff member signing in (their sessions end); their past actions stay in the audit."""
    staff_id: str
    staff: str = ""
    reason: str = ""

    def __post_init__(self) -> None:
        staff_id(self.staff_id)
        object.__setattr__(self, "staff", text(self.staff, "Staff", MAX_NAME_LENGTH))
        object.__setattr__(self, "reason", _reason(self.reason))
