"""Commands run on the server machine itself, outside HTTP: ``python main.py unlock STAFF``.

Whoever can run this can already read the shop's files, so it needs no PIN: it is the way back in
when the manager is the one locked out. It is audited like a manager's unlock, as the console's
operating-system user.
"""
from __future__ import annotations

import getpass
import time
from pathlib import Path

from services.http.auth import Principal, StaffStore
from services.http.workers import staff_db_path


def unlock_from_console(db_path: Path, staff_id: str, reason: str = "") -> int:
    """Unlock ``staff_id`` in the staff file beside ``db_path``; print what happened; 0 if done, 1 if unknown."""
    path = staff_db_path(Path(db_path).resolve())
    if not path.exists():
        print(f"No staff file at {path}: is --db the shop server's database?")
        return 1
    store = StaffStore(path, seed_demo=False)
    try:
        operator = Principal(f"console:{_os_user()}", "server console", "operator", time.time())
        if not store.unlock(staff_id, operator, reason or "unlocked on the server machine"):
            known = ", ".join(s["staff_id"] for s in store.staff())
            print(f"No staff with id {staff_id!r} (staff: {known})")
            return 1
    finally:
        store.close()
    print(f"Unlocked {staff_id} (audited as {operator.staff_id})")
    return 0


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):   # no passwd entry (some containers)
        return "unknown"
