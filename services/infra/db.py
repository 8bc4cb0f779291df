"""SQLite engines with the durability the shop promises.

Writes go through one connection per process with ``BEGIN IMMEDIATE`` (the write lock is taken up
front, so two processes never deadlock on a lock upgrade), WAL, and ``synchronous=FULL``: a commit is
fsynced before it returns, so an order the customer was told "accepted" survives power loss.
Readers use their own pool and never block the writer (WAL).
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

BUSY_TIMEOUT_MS = 10_000
DURABLE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys=ON",
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
    """Engine for the single writer: every transaction takes the write lock at BEGIN."""
    return _configure(create_engine(sqlite_url(path), poolclass=NullPool), "BEGIN IMMEDIATE")


def reader_engine(path: Path) -> Engine:
    """Engine for queries: deferred transactions give each query a consistent WAL snapshot."""
    return _configure(create_engine(sqlite_url(path), pool_size=4, max_overflow=8), "BEGIN")
