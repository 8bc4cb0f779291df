"""The counter's durable offline queue: orders taken while the server is unreachable.

Its own SQLite file (never the shop's): each row is a PlaceOrder with a client-made id
(``client_ref``, a UUID), written with ``synchronous=FULL`` before the customer is told "queued",
so a power cut loses nothing. Rows leave the queue only after the server has answered for them;
the server treats the same ``client_ref`` as the same order, so a resend after a lost answer
(crash, timeout) never makes a second order.

Beside the queue, in the same file: the last menu and categories this till saw (so a till started
while the server is away can still take orders, under headings in its language) and, for each order
sent, its till number and the time the customer ordered.
A row's ``seq`` is its till number ("T-3"): AUTOINCREMENT never reuses one on this till.
"""
from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from services.commands import PlaceOrder
from services.port import Category, MenuItem
from services.remote.codec import place_order_from_json, place_order_json


@dataclass(frozen=True)
class Pending:
    seq: int
    client_ref: str
    command: PlaceOrder
    attempts: int
    queued_at: float = 0.0

    @property
    def till_number(self) -> str:
        return till_number(self.seq)


def till_number(seq: int) -> str:
    """What the customer is told for an order kept on this till: "T-3"."""
    return f"T-{seq}"


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
            CREATE TABLE IF NOT EXISTS menu_cache (
                code TEXT PRIMARY KEY, body TEXT NOT NULL, position INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS category_cache (
                code TEXT PRIMARY KEY, body TEXT NOT NULL, position INTEGER NOT NULL);
        """)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(sent)")}
        for column in ("seq INTEGER", "queued_at REAL"):     # a queue file from before till numbers
            if column.split()[0] not in columns:
                self._db.execute(f"ALTER TABLE sent ADD COLUMN {column}")

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
        waiting = self.waiting(limit=1)
        return waiting[0] if waiting else None

    def waiting(self, limit: int = -1) -> list[Pending]:
        """Orders not yet answered by the server, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT seq, client_ref, body, attempts, queued_at FROM pending"
                                    " ORDER BY seq LIMIT ?", (limit,)).fetchall()
        return [Pending(r[0], r[1], place_order_from_json(json.loads(r[2])), r[3], r[4]) for r in rows]

    def sent_from_till(self) -> dict[int, tuple[str, float]]:
        """Server order id -> (till number, when the customer ordered) for orders this till sent late."""
        with self._lock:
            rows = self._db.execute("SELECT order_id, seq, queued_at FROM sent WHERE seq IS NOT NULL").fetchall()
        return {order_id: (till_number(seq), queued_at) for order_id, seq, queued_at in rows}

    def save_menu(self, items: list[MenuItem]) -> None:
        """Keep the menu as last seen, replacing the previous one in one transaction."""
        self._keep("menu_cache", [(item.code, dataclasses.asdict(item)) for item in items])

    def cached_menu(self) -> list[MenuItem]:
        """The menu last seen, in its order, with stock unknown (it may have changed since)."""
        return [MenuItem(**{**body, "stock_known": False}) for body in self._kept("menu_cache")]

    def save_categories(self, categories: list[Category]) -> None:
        """Keep the menu's categories as last seen: a till started offline still heads them in its language."""
        self._keep("category_cache", [(category.code, dataclasses.asdict(category)) for category in categories])

    def cached_categories(self) -> list[Category]:
        return [Category(**body) for body in self._kept("category_cache")]

    def _keep(self, table: str, rows: list[tuple[str, dict]]) -> None:
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.execute(f"DELETE FROM {table}")
            self._db.executemany(f"INSERT INTO {table} VALUES (?,?,?)", [
                (code, json.dumps(body, ensure_ascii=False), n) for n, (code, body) in enumerate(rows)])

    def _kept(self, table: str) -> list[dict]:
        with self._lock:
            rows = self._db.execute(f"SELECT body FROM {table} ORDER BY position").fetchall()
        return [json.loads(body) for (body,) in rows]

    def attempted(self, seq: int) -> None:
        with self._lock:
            self._db.execute("UPDATE pending SET attempts = attempts + 1 WHERE seq=?", (seq,))

    def mark_sent(self, item: Pending, order_id: int, status: str) -> None:
        with self._lock, self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM pending WHERE seq=?", (item.seq,))
            self._db.execute("INSERT OR REPLACE INTO sent (client_ref, order_id, status, sent_at, seq, queued_at) "
                             "VALUES (?,?,?,?,?,?)", (item.client_ref, order_id, status, time.time(), item.seq,
                                                      item.queued_at))

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
