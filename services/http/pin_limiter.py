"""Guessing PINs is slowed down per terminal: the shop server's sign-in per client address, the embedded
shop's manager PIN per till, the same rule and the same table (``address_failures`` in the staff file).

This many wrong PINs (any accounts) are free within ``ADDRESS_WINDOW_S``; after that each further try
must wait 1, 2, 4 ... up to ``MAX_ADDRESS_WAIT_S`` seconds after the last one, and is refused unchecked
until then. One terminal then cannot lock every account out in a few seconds, nor guess at speed. A
right PIN clears its count. The caller holds the write transaction (``BEGIN IMMEDIATE``)."""
from __future__ import annotations

import sqlite3

FREE_FAILURES_PER_ADDRESS = 10
ADDRESS_WINDOW_S = 15 * 60
MAX_ADDRESS_WAIT_S = 60

SCHEMA = """CREATE TABLE IF NOT EXISTS address_failures (
                address TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at REAL NOT NULL);"""


def seconds_to_wait(db: sqlite3.Connection, address: str, now: float) -> int:
    """0 if ``address`` may try a PIN now, else the whole seconds it must still wait."""
    row = db.execute("SELECT failures, last_at FROM address_failures WHERE address=?", (address,)).fetchone()
    if row is None or now - row[1] > ADDRESS_WINDOW_S or row[0] < FREE_FAILURES_PER_ADDRESS:
        return 0
    wait = min(MAX_ADDRESS_WAIT_S, 2 ** (row[0] - FREE_FAILURES_PER_ADDRESS))
    return max(1, int(row[1] + wait - now + 0.999)) if now < row[1] + wait else 0


def count_failure(db: sqlite3.Connection, address: str | None, now: float) -> None:
    if address is None:
        return
    row = db.execute("SELECT failures, last_at FROM address_failures WHERE address=?", (address,)).fetchone()
    failures = 1 if row is None or now - row[1] > ADDRESS_WINDOW_S else row[0] + 1
    db.execute("INSERT OR REPLACE INTO address_failures VALUES (?,?,?)", (address, failures, now))
    if row is None:   # bounded: forget addresses whose window has passed
        db.execute("DELETE FROM address_failures WHERE last_at < ?", (now - ADDRESS_WINDOW_S,))


def clear(db: sqlite3.Connection, address: str | None) -> None:
    if address is not None:
        db.execute("DELETE FROM address_failures WHERE address=?", (address,))
