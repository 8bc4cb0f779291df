"""Commands run on the server machine itself, outside HTTP: ``python main.py unlock STAFF`` and
``python main.py staff add ID --role ROLE --name NAME`` (the first manager of a new server).

Whoever can run this can already read the shop's files, so it needs no PIN: it is the way back in
when the manager is the one locked out. It is audited like a manager's unlock, as the console's
operating-system user.
"""
from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

from services.errors import ShopError
from services.http.auth import ROLES, Principal, StaffStore
from services.http.workers import staff_db_path
from services.staff_commands import SaveStaff
from services.staff_commands import pin as checked_pin


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


def add_staff_from_console(db_path: Path, staff_id: str, role: str, name: str, pin: str, *,
                           staff_file: Path | None = None) -> int:
    """Add (or replace: a new PIN or role) ``staff_id`` in the staff file beside ``db_path`` (or in
    ``staff_file``: a chain's), audited as the console's user; print what happened; 0 if done, 2 if the
    input is refused."""
    try:
        SaveStaff(staff_id, name, role, checked_pin(pin))     # the checks the manager's screen makes
    except ShopError as problem:
        print(f"Staff not added: {problem}")
        return 2
    path = Path(staff_file).resolve() if staff_file else staff_db_path(Path(db_path).resolve())
    path.parent.mkdir(parents=True, exist_ok=True)
    store = StaffStore(path, seed_demo=False)
    try:
        store.add_staff(staff_id, name.strip(), role, pin)
        operator = Principal(f"console:{_os_user()}", "server console", "operator", time.time())
        store.audit(operator, "add_staff", staff_id, f"role {role}, added on the server machine", "ok")
    finally:
        store.close()
    print(f"Added {staff_id} ({role}) to {path} (audited as {operator.staff_id})")
    return 0


def staff_main(argv: list[str], default_db: Path) -> int:
    """``python main.py staff add ID --role ROLE --name NAME [--db PATH]``: the PIN is asked for (twice)
    at a terminal, or read from the first line of standard input (for scripts)."""
    parser = argparse.ArgumentParser(prog="main.py staff", description="Staff of the shop server (this machine)")
    parser.add_argument("action", choices=["add"])
    parser.add_argument("staff_id")
    parser.add_argument("--role", required=True, choices=ROLES)
    parser.add_argument("--name", required=True)
    parser.add_argument("--db", type=Path, default=default_db, help="the shop server's database")
    parser.add_argument("--chain-data", type=Path, default=None,
                        help="a chain's data folder instead (the staff file its gateways share)")
    args = parser.parse_args(argv)
    if sys.stdin.isatty():
        pin = getpass.getpass(f"PIN for {args.staff_id} (4-12 digits): ")
        if getpass.getpass("The same PIN again: ") != pin:
            print("Staff not added: the two PINs differ")
            return 2
    else:
        pin = sys.stdin.readline().strip()
    return add_staff_from_console(args.db, args.staff_id, args.role, args.name, pin,
                                  staff_file=args.chain_data / "staff.sqlite" if args.chain_data else None)
