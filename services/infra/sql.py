"""Statements on the DBAPI connection beneath a SQLAlchemy ``Connection``, inside its transaction.

SQLAlchemy owns the engine, the pool, the pragmas and the transaction (BEGIN IMMEDIATE ... COMMIT).
The repositories' statements, about twenty per order, go straight to the sqlite3 cursor: measured
here, SQLAlchemy's per-statement overhead (17-50 us) was most of an order's cost, and the raw
cursor takes 3-4 us. SQL stays plain, with named parameters.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection


# The JSON columns' encoder, built once: json.dumps(..., ensure_ascii=False) builds one per call, which
# was a tenth of the JSON cost of an order (its lines are encoded three times: order, event, ticket).
to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def placeholders(values: Sequence) -> str:
    """``(?, ?, ?)`` for an IN clause over ``values``."""
    return "(" + ", ".join("?" * len(values)) + ")"


class Sql:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._raw = conn.connection.driver_connection

    def _cursor(self) -> sqlite3.Cursor:
        cursor = self._raw.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor

    def run(self, sql: str, params: dict | Sequence = ()) -> sqlite3.Cursor:
        return self._cursor().execute(sql, params)

    def run_many(self, sql: str, rows: Iterable[dict | Sequence]) -> None:
        self._raw.executemany(sql, rows)

    def one(self, sql: str, params: dict | Sequence = ()) -> sqlite3.Row | None:
        return self.run(sql, params).fetchone()

    def all(self, sql: str, params: dict | Sequence = ()) -> list[sqlite3.Row]:
        return self.run(sql, params).fetchall()

    def scalar(self, sql: str, params: dict | Sequence = ()):
        row = self._raw.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def insert(self, sql: str, params: dict | Sequence) -> int:
        return self._raw.execute(sql, params).lastrowid
