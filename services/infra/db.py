"""SQLite engines with the durability the shop promises.

Writes go through one connection per process with ``BEGIN IMMEDIATE`` (the write lock is taken up
front, so two processes never deadlock on a lock upgrade) and WAL. The writer's commits are fsynced
before any caller is answered (``services/infra/durable.py``), so an order the customer was told
"accepted" survives power loss. Readers use their own pool and never block the writer (WAL).
"""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: processes wait on SQLite's own busy handler instead
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
RESTART_WAIT_MS = 100   # how long the checkpointer may hold writers while readers leave the old WAL
DURABLE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys=ON",
    "PRAGMA temp_store=MEMORY",
)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def _configure(engine: Engine, begin_sql: str) -> Engine:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in DURABLE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        conn.exec_driver_sql(begin_sql)

    return engine


def writer_engine(path: Path) -> Engine:
    """Engine for the single writer: every transaction takes the write lock at BEGIN.

    Its commits never checkpoint (``wal_autocheckpoint=0``): the shop's ``Checkpointer`` does it on
    its own thread (docs/decisions/0006, 0009).
    """
    engine = _configure(create_engine(sqlite_url(path), poolclass=NullPool), "BEGIN IMMEDIATE")

    @event.listens_for(engine, "connect")
    def writer_pragmas(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")
        # The commit does not wait for the disk: the writer's DurableAnswers fsyncs the WAL before any
        # caller is answered, while the next batch runs (services/infra/durable.py). Only in WAL mode:
        # where SQLite could not turn it on (some network file systems), commits stay FULL.
        if dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    return engine


class WriteLock:
    """Hands the write lock from one writer to another without polling: between processes (two apps
    opened on one file) and between this process's writer and its checkpointer.

    Held around each write transaction, this ``flock`` makes a waiting writer sleep in the kernel and
    wake the moment the other commits, instead of napping in SQLite's busy handler
    (docs/decisions/0008). It is a file of its own beside the database (``<db>-writelock``), so it
    never touches the byte-range locks SQLite keeps on the database.
    """

    def __init__(self, path: Path) -> None:
        self._fd = os.open(f"{path}-writelock", os.O_RDWR | os.O_CREAT, 0o644) if fcntl else None
        self._threads = threading.Lock()  # a flock is held per open file, not per thread

    def __enter__(self) -> WriteLock:
        self._threads.acquire()
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class Checkpointer:
    """Copies the WAL back into the database off the writer's path, and keeps the WAL from growing.

    A PASSIVE checkpoint (which never waits for, or blocks, readers and writers) runs every
    ``interval`` seconds in which something was written, and once more in the next quiet one. When the
    WAL is longer than ``max_wal_bytes``, a RESTART checkpoint runs inside the ``WriteLock``, waiting at
    most ``RESTART_WAIT_MS`` for readers still on the old WAL, so the next commit starts the WAL over;
    writers wait in the kernel meanwhile, and a pass that runs out of time is tried again next interval
    (why: docs/decisions/0009). The last checkpoint, on close, truncates: a closed shop is one file.
    """

    def __init__(self, path: Path, write_lock: WriteLock, interval: float = 1.0,
                 max_wal_bytes: int = 16 * 1024 * 1024) -> None:
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self._page_size = self._conn.execute("PRAGMA page_size").fetchone()[0]
        self._conn.execute(f"PRAGMA busy_timeout={RESTART_WAIT_MS}")   # from now on, only checkpoints wait
        self._write_lock = write_lock
        self._interval, self._max_wal_bytes = interval, max_wal_bytes
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shop-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        version, settled = None, False
        while not self._stop.wait(self._interval):
            try:
                quiet = version == (version := self._conn.execute("PRAGMA data_version").fetchone()[0])
                if quiet and settled:
                    continue   # nothing written since the last pass copied everything
                _, frames, copied = self._checkpoint("PASSIVE")  # frames: the WAL's length since it started over
                if not quiet and frames * self._page_size > self._max_wal_bytes:
                    with self._write_lock:
                        busy, frames, copied = self._checkpoint("RESTART")
                    if busy:
                        log.info("a reader held the old WAL past %d ms; the WAL starts over at a later pass",
                                 RESTART_WAIT_MS)
                settled = quiet and frames == copied
            except sqlite3.Error:
                log.warning("WAL checkpoint failed; it is retried in %.0f s", self._interval, exc_info=True)

    def _checkpoint(self, mode: str) -> tuple[int, int, int]:
        return self._conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        try:
            with self._write_lock:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:  # another process still writing: its own checkpointer will do it
            log.info("final WAL checkpoint skipped", exc_info=True)
        self._conn.close()


def reader_engine(path: Path) -> Engine:
    """Engine for queries: deferred transactions give each query a consistent WAL snapshot."""
    return _configure(create_engine(sqlite_url(path), pool_size=4, max_overflow=8), "BEGIN")
