"""The repositories' ``Sql`` interface over PostgreSQL (psycopg 3), so the contexts' own repositories
(written for SQLite) run unchanged in the chain: one implementation of every rule, two infrastructures.

``PgSql`` offers what ``services.infra.sql.Sql`` offers (run, run_many, one, all, scalar, insert,
in_transaction) on one psycopg connection inside its transaction, and translates the SQLite dialect
the repositories use, once per statement text (cached):
  ``?`` -> ``%s``; ``:name`` -> ``%(name)s``; ``INSERT OR IGNORE`` -> ``... ON CONFLICT DO NOTHING``;
  ``INSERT OR REPLACE INTO t`` -> ``... ON CONFLICT (t's key) DO UPDATE SET`` every other column;
  ``INDEXED BY ix`` dropped (a planner hint PostgreSQL does not take); ``IN ()`` -> ``IN (NULL)``;
  ``insert()`` appends ``RETURNING id`` (what SQLite's ``lastrowid`` gave: every table written through
  ``insert`` has an ``id`` key).
Python booleans are sent as 0/1 (SQLite has no boolean: the repositories compare ``late = 0``), so
flag columns are integers in the chain's migrations too.
Rows allow ``row["col"]``, ``row[0]``, ``row.col`` and ``dict(row)``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.adapt import Dumper
from psycopg.pq import Format
from psycopg.rows import RowMaker

# Tables written with INSERT OR REPLACE, and the key that decides "replace".
CONFLICT_KEYS = {"mypage": ("order_id",)}

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|::|\?|:[A-Za-z_]\w*|%")
_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE)
_INDEXED_BY = re.compile(r"\s+INDEXED\s+BY\s+\w+", re.IGNORECASE)
_EMPTY_IN = re.compile(r"\bIN\s*\(\s*\)", re.IGNORECASE)


def _placeholder(match: re.Match) -> str:
    token = match.group(0)
    if token == "?":
        return "%s"
    if token == "%":
        return "%%"
    if token.startswith(":") and token != "::":
        return f"%({token[1:]})s"
    if token.startswith("'"):
        return token.replace("%", "%%")   # psycopg reads % as a placeholder even inside a literal
    return token  # a quoted name or a cast: as it is


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """The PostgreSQL text of a statement written for SQLite (see the module docstring)."""
    sql = _EMPTY_IN.sub("IN (NULL)", _INDEXED_BY.sub("", sql))
    conflict = ""
    insert_or = _INSERT_OR.match(sql)
    if insert_or:
        verb, table, columns = insert_or.groups()
        sql = f"INSERT INTO {table} ({columns})" + sql[insert_or.end():]
        if verb.upper() == "IGNORE":
            conflict = " ON CONFLICT DO NOTHING"
        else:
            keys = CONFLICT_KEYS[table]
            others = [c.strip() for c in columns.split(",") if c.strip() not in keys]
            conflict = (f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
                        + ", ".join(f"{c} = EXCLUDED.{c}" for c in others))
    sql = _TOKENS.sub(_placeholder, sql)
    if conflict:
        head, returning, tail = sql.partition(" RETURNING ")
        sql = head + conflict + (returning + tail if returning else "")
    return sql


class Row(tuple):
    """A result row readable by position, by column name, as attributes and as ``dict(row)``."""
    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def __getattr__(self, name: str):
        try:
            return tuple.__getitem__(self, self._index[name])
        except KeyError:
            raise AttributeError(name) from None

    def keys(self):
        return self._index.keys()

    @property
    def _mapping(self) -> dict:
        return dict(zip(self._index, self))


@lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})


def row_factory(cursor: psycopg.Cursor[Any]) -> RowMaker[Row]:
    if cursor.description is None:
        return Row     # a statement without a result: no row is ever made
    cls = _row_class(tuple(d.name for d in cursor.description))
    return lambda values: cls(values)


class BoolAsInt(Dumper):
    """True/False as 1/0, as SQLite stores them (the repositories compare flags with 0)."""
    format = Format.TEXT
    oid = psycopg.adapters.types["int2"].oid

    def dump(self, obj: bool) -> bytes:
        return b"1" if obj else b"0"


def configure(conn: psycopg.Connection[Any]) -> None:
    """Per-connection setup for the pool: rows as ``Row``, booleans as integers."""
    conn.row_factory = row_factory
    conn.adapters.register_dumper(bool, BoolAsInt)


class PgSql:
    """``Sql`` on one psycopg connection, inside the caller's transaction."""

    def __init__(self, conn: psycopg.Connection[Row]) -> None:
        self.conn = conn

    @property
    def in_transaction(self) -> bool:
        return self.conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS

    def run(self, sql: str, params: dict | Sequence = ()) -> psycopg.Cursor[Row]:
        return self.conn.execute(translate(sql), params)

    def run_many(self, sql: str, rows: Iterable[dict | Sequence]) -> None:
        rows = list(rows)
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(translate(sql), rows)

    def one(self, sql: str, params: dict | Sequence = ()) -> Row | None:
        return self.conn.execute(translate(sql), params).fetchone()

    def all(self, sql: str, params: dict | Sequence = ()) -> list[Row]:
        return self.conn.execute(translate(sql), params).fetchall()

    def scalar(self, sql: str, params: dict | Sequence = ()):
        row = self.conn.execute(translate(sql), params).fetchone()
        return None if row is None else row[0]

    def insert(self, sql: str, params: dict | Sequence) -> int:
        row = self.conn.execute(translate(sql) + " RETURNING id", params).fetchone()
        assert row is not None, "an INSERT ... RETURNING id returns the row it inserted"
        return row[0]
