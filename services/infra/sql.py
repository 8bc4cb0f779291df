"""Statements on the DBAPI connection beneath a SQLAlchemy ``Connection``, inside its transaction.

SQLAlchemy owns the engine, the pool, the pragmas and the migrations; the repositories' statements
go straight to the sqlite3 cursor, in whatever transaction the connection is in (why:
docs/decisions/0001). SQL stays plain, with named or positional parameters.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import cast

import orjson
from sqlalchemy import Connection


def to_json(value) -> str:
    """The JSON columns' text: compact, UTF-8 as it is (orjson: docs/decisions/0002)."""
    return orjson.dumps(value).decode()


from_json = orjson.loads


def placeholders(values: Sequence) -> str:
    """``(?, ?, ?)`` for an IN clause over ``values``."""
    return "(" + ", ".join("?" * len(values)) + ")"


class Sql:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._raw = cast(sqlite3.Connection, conn.connection.driver_connection)

    def _cursor(self) -> sqlite3.Cursor:
        cursor = self._raw.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor

    @property
    def in_transaction(self) -> bool:
        return self._raw.in_transaction

    def run(self, sql: str, params: dict | Sequence = ()) -> sqlite3.Cursor:
        """A statement whose rows, if any, are read by position (writes: only ``rowcount`` is read)."""
        return self._raw.execute(sql, params)

    def run_many(self, sql: str, rows: Iterable[dict | Sequence]) -> None:
        self._raw.executemany(sql, rows)

    def one(self, sql: str, params: dict | Sequence = ()) -> sqlite3.Row | None:
        return self._cursor().execute(sql, params).fetchone()

    def all(self, sql: str, params: dict | Sequence = ()) -> list[sqlite3.Row]:
        return self._cursor().execute(sql, params).fetchall()

    def scalar(self, sql: str, params: dict | Sequence = ()):
        row = self._raw.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def insert(self, sql: str, params: dict | Sequence) -> int:
        """An INSERT; returns the new row's id."""
        return cast(int, self._raw.execute(sql, params).lastrowid)
