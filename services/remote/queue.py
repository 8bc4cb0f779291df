"""The counter's durable offline queue: orders taken while the server is unreachable.

Its own SQLite file (never the shop's): each row is a PlaceOrder with a client-made id
(``client_ref``, a UUID), written with ``synchronous=FULL`` before the customer is told "queued",
so a power cut loses nothing. Rows leave the queue only after the server has answered for them;
the server treats the same ``client_ref`` as the same order, so a resend after a lost answer
(crash, timeout) never makes a second order.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from services.commands import PlaceOrder
from services.remote.codec import place_order_from_json, place_order_json


@dataclass(frozen=True)
class Pending:
    seq: int
    client_ref: str
    command: PlaceOrder
    attempts: int


class OfflineQueue:
    def __init__(self, path: Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript("""
            CREATE TABLE IF NOT EXISTS pending (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, client_ref TEXT NOT NULL UNIQUE,
                body TEXT NOT NULL, queued_at REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS sent (
                client_ref TEXT PRIMARY KEY, order_id INTEGER NOT NULL, status TEXT NOT NULL, sent_at REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS rejected (
                client_ref TEXT PRIMARY KEY, body TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL,
                at REAL NOT NULL);
        """)

    def put(self, command: PlaceOrder) -> int:
        """Store durably and return the row's sequence number; the same client_ref twice is one row
        (a retried enqueue changes nothing)."""
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO pending (client_ref, body, queued_at) VALUES (?,?,?)",
                             (command.client_ref, json.dumps(place_order_json(command), ensure_ascii=False),
                              time.time()))
            return self._db.execute("SELECT seq FROM pending WHERE client_ref=?", (command.client_ref,)).fetchone()[0]

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM pending").fetchone()[0]

    def oldest(self) -> Pending | None:
        with self._lock:
            row = self._db.execute("SELECT seq, client_ref, body, attempts FROM pending ORDER BY seq LIMIT 1").fetchone()
        if row is None:
            return None
        return Pending(row[0], row[1], place_order_from_json(json.loads(row[2])), row[3])

    def attempted(self, seq: int) -> None:
        with self._lock:
            self._db.execute("UPDATE pending SET attempts = attempts + 1 WHERE seq=?", (seq,))

    def mark_sent(self, item: Pending, order_id: int, status: str) -> None:
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM pending WHERE seq=?", (item.seq,))
            self._db.execute("INSERT OR REPLACE INTO sent VALUES (?,?,?,?)", (item.client_ref, order_id, status, time.time()))

    def mark_rejected(self, item: Pending, code: str, message: str) -> None:
        """The server refused the order itself (e.g. an item no longer on the menu): stop resending it,
        keep it for the manager to see."""
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM pending WHERE seq=?", (item.seq,))
            self._db.execute("INSERT OR REPLACE INTO rejected VALUES (?,?,?,?,?)",
                             (item.client_ref, json.dumps(place_order_json(item.command), ensure_ascii=False),
                              code, message, time.time()))

    def sent_order_id(self, client_ref: str) -> int | None:
        with self._lock:
            row = self._db.execute("SELECT order_id FROM sent WHERE client_ref=?", (client_ref,)).fetchone()
        return row[0] if row else None

    def rejected(self) -> list[tuple[str, str, str]]:
        with self._lock:
            return self._db.execute("SELECT client_ref, code, message FROM rejected ORDER BY at").fetchall()

    def close(self) -> None:
        with self._lock:
            self._db.close()
