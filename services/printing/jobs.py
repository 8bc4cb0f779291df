"""The print service's own durable state: the print jobs, and how far it has followed the shop's feed.

A small SQLite file beside the shop's data (``default_state_path``), fsynced on every commit: a job is
written before a single byte of it goes to a printer, and the feed position moves in the same
transaction as the jobs its events made, so a restart neither repeats nor skips one.

A job is keyed by (order, version, printer): version 1 is an order's first slip on that printer and
every reprint or VOID is the next version. Its status moves waiting -> printing -> printed:

- waiting: nothing of it has been sent (safe to send);
- printing: its bytes have started to go out, but the printer has not been seen to take them all
  (after a crash, or a connection lost mid-job, it may or may not have printed: see docs/printing.md);
- printed: the printer read the whole job and closed the connection;
- withdrawn: a kitchen ticket whose order was cancelled before any of it was sent (no VOID needed).
"""
from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterator

from services.printing.slip import Slip

WAITING, PRINTING, PRINTED, WITHDRAWN = "waiting", "printing", "printed", "withdrawn"
TICKET, REPRINT, VOID, RECEIPT = "ticket", "reprint", "void", "receipt"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS print_jobs (
    id          INTEGER PRIMARY KEY,      -- a printer prints its jobs in this order
    order_id    INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    printer     TEXT    NOT NULL,
    kind        TEXT    NOT NULL,         -- ticket | reprint | void | receipt
    cause       TEXT    NOT NULL,         -- the feed event ("event:<position>") or request that made it
    slip        TEXT    NOT NULL,         -- the laid-out slip (JSON): every attempt sends the same
    status      TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    cuts_before INTEGER,                  -- the printer's cut count as this job's bytes started to go
    last_error  TEXT    NOT NULL DEFAULT '',
    created_at  REAL    NOT NULL,
    printed_at  REAL,
    UNIQUE (order_id, version, printer),
    UNIQUE (printer, cause)
);
CREATE INDEX IF NOT EXISTS print_jobs_open ON print_jobs (printer, status, id);
CREATE TABLE IF NOT EXISTS feed_position (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class Job:
    id: int
    order_id: int
    version: int
    printer: str
    kind: str
    status: str
    attempts: int
    last_error: str
    created_at: float
    printed_at: float | None
    cuts_before: int | None
    slip_json: str

    @property
    def slip(self) -> Slip:
        return Slip.from_json(self.slip_json)


_COLUMNS = ("id, order_id, version, printer, kind, status, attempts, last_error, created_at, printed_at,"
            " cuts_before, slip")


class Batch:
    """Jobs added inside one transaction (see ``JobStore.batch``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.added: list[int] = []

    def add(self, order_id: int, printer: str, kind: str, cause: str, make_slip: Callable[[int], Slip]) -> int | None:
        """A new job at the next version of (order, printer); ``make_slip(version)`` lays it out.
        Returns its id, or None if ``cause`` already made a job on this printer."""
        if self._conn.execute("SELECT 1 FROM print_jobs WHERE printer = ? AND cause = ?", (printer, cause)).fetchone():
            return None
        version = self._conn.execute("SELECT coalesce(max(version), 0) + 1 FROM print_jobs"
                                     " WHERE order_id = ? AND printer = ?",
                                     (order_id, printer)).fetchone()[0]
        job_id = self._conn.execute(
            "INSERT INTO print_jobs (order_id, version, printer, kind, cause, slip, status, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (order_id, version, printer, kind, cause, make_slip(version).to_json(), WAITING, time.time())).lastrowid
        assert job_id is not None, "an INSERT always has a row id"
        self.added.append(job_id)
        return job_id

    def void(self, order_id: int, printer: str, cause: str, make_slip: Callable[[int], Slip]) -> int | None:
        """The order was cancelled: tickets of it not yet sent are withdrawn; if any was sent (or may
        have been), a VOID job follows it. Returns the VOID's id, if one was needed."""
        self._conn.execute(f"UPDATE print_jobs SET status = '{WITHDRAWN}' WHERE order_id = ? AND printer = ?"
                           f" AND kind IN ('{TICKET}', '{REPRINT}') AND status = '{WAITING}'", (order_id, printer))
        sent = self._conn.execute(f"SELECT 1 FROM print_jobs WHERE order_id = ? AND printer = ? AND kind IN"
                                  f" ('{TICKET}', '{REPRINT}') AND status IN ('{PRINTING}', '{PRINTED}')",
                                  (order_id, printer)).fetchone()
        return self.add(order_id, printer, VOID, cause, make_slip) if sent else None

    def has_ticket(self, order_id: int, printer: str) -> bool:
        return self._conn.execute(f"SELECT 1 FROM print_jobs WHERE order_id = ? AND printer = ? AND kind = '{TICKET}'",
                                  (order_id, printer)).fetchone() is not None


class JobStore:
    """Thread-safe (one connection behind a lock); every commit is fsynced."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")   # a job marked printed stays printed after a power cut
        self._conn.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def batch(self, position: int | None = None) -> Iterator[Batch]:
        """Add jobs in one transaction; with ``position``, the feed position moves to it in the same one."""
        with self._transaction() as conn:
            batch = Batch(conn)
            yield batch
            if position is not None:
                conn.execute("INSERT INTO feed_position (id, position) VALUES (1, ?)"
                             " ON CONFLICT (id) DO UPDATE SET position = excluded.position", (position,))

    def position(self) -> int | None:
        """The last feed position handled, or None before the first start."""
        with self._lock:
            row = self._conn.execute("SELECT position FROM feed_position WHERE id = 1").fetchone()
        return None if row is None else row[0]

    def next_job(self, printer: str) -> Job | None:
        """The printer's oldest job still to print (waiting, or printing when an attempt was cut off)."""
        with self._lock:
            row = self._conn.execute(f"SELECT {_COLUMNS} FROM print_jobs WHERE printer = ? AND status IN"
                                     f" ('{WAITING}', '{PRINTING}') ORDER BY id LIMIT 1", (printer,)).fetchone()
        return None if row is None else Job(*row)

    def mark_printing(self, job_id: int, cuts_before: int | None = None) -> None:
        """Written (and fsynced) just before the job's first byte goes to the printer, with the
        printer's cut count then, if it reports one."""
        with self._transaction() as conn:
            conn.execute(f"UPDATE print_jobs SET status = '{PRINTING}', attempts = attempts + 1, cuts_before = ?"
                         " WHERE id = ?", (cuts_before, job_id))

    def mark_printed(self, job_id: int) -> None:
        with self._transaction() as conn:
            conn.execute(f"UPDATE print_jobs SET status = '{PRINTED}', printed_at = ?, last_error = '' WHERE id = ?",
                         (time.time(), job_id))

    def note_error(self, job_id: int, error: str) -> None:
        """Why the last attempt failed, for the waiting list; the status is left as it was."""
        with self._transaction() as conn:
            conn.execute("UPDATE print_jobs SET last_error = ? WHERE id = ?", (error[:200], job_id))

    def jobs(self, *, statuses: tuple[str, ...] = (), order_id: int | None = None) -> list[Job]:
        where: list[str] = []
        params: list[object] = []
        if statuses:
            where.append(f"status IN ({', '.join('?' * len(statuses))})")
            params += statuses
        if order_id is not None:
            where.append("order_id = ?")
            params.append(order_id)
        sql = f"SELECT {_COLUMNS} FROM print_jobs" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        with self._lock:
            return [Job(*row) for row in self._conn.execute(sql, params).fetchall()]

    def waiting(self) -> list[Job]:
        """Every job not yet printed, oldest first: what a printer that is off is holding back."""
        return self.jobs(statuses=(WAITING, PRINTING))


def default_state_path(shop_db: Path) -> Path:
    """Beside the shop's database: ``shop.sqlite`` -> ``shop-printing.sqlite``."""
    return shop_db.with_name(f"{shop_db.stem}-printing.sqlite")
