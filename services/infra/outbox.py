"""The transactional outbox (also the shop's event log) and the consumers' tracked positions.

An event is a row written in the same transaction as the change that caused it. Each consumer keeps
the position of the last event it has handled, written in the same transaction as its effects, so an
event at or below that position is never handled twice.
"""
from __future__ import annotations

import bisect
from typing import NamedTuple

from sqlalchemy import Connection, text

from services.events import Event, event_from_dict
from services.infra.sql import Sql, from_json, to_json

_APPEND = "INSERT INTO outbox (name, order_id, at, data) VALUES (?, ?, ?, ?)"
_MAX = "SELECT coalesce(max(id), 0) FROM outbox"
_AFTER = "SELECT id, at, name, data FROM outbox WHERE id > :position ORDER BY id LIMIT :limit"
_POSITIONS = "SELECT consumer, position FROM consumer_positions"
_SAVE_POSITION = ("INSERT INTO consumer_positions (consumer, position) VALUES (?, ?)"
                  " ON CONFLICT (consumer) DO UPDATE SET position = excluded.position")


class Record(NamedTuple):
    position: int
    at: float
    event: Event


def encode(event: Event) -> str:
    return to_json(event.__dict__)


def decode(position: int, at: float, name: str, data: str) -> Record:
    return Record(position, at, event_from_dict(name, from_json(data)))


def read_after(conn: Connection, position: int, limit: int) -> list[Record]:
    """The event log after ``position`` (for catch-up and for live-feed resume)."""
    return [decode(*row) for row in conn.execute(text(_AFTER), {"position": position, "limit": limit})]


class Outbox:
    """The outbox as seen from one write transaction."""

    def __init__(self, sql: Sql, now: float) -> None:
        self.sql, self.now = sql, now
        self.committed_max = sql.scalar(_MAX)
        self.appended: list[Record] = []
        self._appended_positions: list[int] = []  # beside ``appended``: bisect on plain ints is cheapest

    def append(self, event: Event) -> int:
        position = self.sql.insert(_APPEND, (event.name, event.order_id, self.now, encode(event)))
        self.appended.append(Record(position, self.now, event))
        self._appended_positions.append(position)
        return position

    def mark(self) -> int:
        return len(self.appended)

    def rollback_to(self, mark: int) -> None:
        """Forget events whose savepoint was rolled back."""
        del self.appended[mark:]
        del self._appended_positions[mark:]

    def after(self, position: int, limit: int = 500) -> list[Record]:
        if position >= self.committed_max:  # the usual case: only this transaction's events are new
            return self.appended[bisect.bisect_right(self._appended_positions, position):]
        rows = self.sql.all(_AFTER, {"position": position, "limit": limit})  # catching up on a backlog
        return [decode(*row) for row in rows]


def load_positions(sql: Sql) -> dict[str, int]:
    return {row[0]: row[1] for row in sql.all(_POSITIONS)}


def save_positions(sql: Sql, positions: dict[str, int]) -> None:
    if positions:
        sql.run_many(_SAVE_POSITION, positions.items())
