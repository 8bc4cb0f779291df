"""The transactional outbox (also the shop's event log) and the consumers' tracked positions.

An event is a row written in the same transaction as the change that caused it. Each consumer keeps
the position of the last event it has handled, written in the same transaction as its effects, so an
event at or below that position is never handled twice.
"""
from __future__ import annotations

import json
from typing import NamedTuple

from sqlalchemy import Connection, text

from services.events import Event, event_from_dict

_APPEND = text("INSERT INTO outbox (name, order_id, at, data) VALUES (:name, :order_id, :at, :data)")
_MAX = text("SELECT coalesce(max(id), 0) FROM outbox")
_AFTER = text("SELECT id, at, name, data FROM outbox WHERE id > :position ORDER BY id LIMIT :limit")
_POSITIONS = text("SELECT consumer, position FROM consumer_positions")
_SAVE_POSITION = text("INSERT INTO consumer_positions (consumer, position) VALUES (:consumer, :position)"
                      " ON CONFLICT (consumer) DO UPDATE SET position = excluded.position")


class Record(NamedTuple):
    position: int
    at: float
    event: Event


def encode(event: Event) -> str:
    return json.dumps(event.__dict__, ensure_ascii=False, separators=(",", ":"))


def decode(position: int, at: float, name: str, data: str) -> Record:
    return Record(position, at, event_from_dict(name, json.loads(data)))


def read_after(conn: Connection, position: int, limit: int) -> list[Record]:
    return [decode(*row) for row in conn.execute(_AFTER, {"position": position, "limit": limit})]


class Outbox:
    """The outbox as seen from one write transaction."""

    def __init__(self, conn: Connection, now: float) -> None:
        self.conn, self.now = conn, now
        self.committed_max = conn.execute(_MAX).scalar()
        self.appended: list[Record] = []

    def append(self, event: Event) -> int:
        position = self.conn.execute(_APPEND, {"name": event.name, "order_id": event.order_id, "at": self.now,
                                               "data": encode(event)}).lastrowid
        self.appended.append(Record(position, self.now, event))
        return position

    def mark(self) -> int:
        return len(self.appended)

    def rollback_to(self, mark: int) -> None:
        """Forget events whose savepoint was rolled back."""
        del self.appended[mark:]

    def after(self, position: int, limit: int = 500) -> list[Record]:
        if position >= self.committed_max:  # the usual case: only this transaction's events are new
            return [record for record in self.appended if record.position > position]
        return read_after(self.conn, position, limit)  # catching up on a backlog


def load_positions(conn: Connection) -> dict[str, int]:
    return {row[0]: row[1] for row in conn.execute(_POSITIONS)}


def save_positions(conn: Connection, positions: dict[str, int]) -> None:
    if positions:
        conn.execute(_SAVE_POSITION, [{"consumer": c, "position": p} for c, p in positions.items()])
