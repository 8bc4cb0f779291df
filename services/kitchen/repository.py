"""Kitchen tables (tickets, stock) on a SQLAlchemy connection."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, bindparam, text

from services.kitchen.model import OPEN, SCHEDULED, Ticket

_COLUMNS = "order_id, lines, status, created_at, release_at, started_at, cooked_at, cancelled_at, late"
_ON_HAND = text("SELECT item_code, on_hand FROM stock WHERE item_code IN :codes").bindparams(
    bindparam("codes", expanding=True))
_ADJUST = text("UPDATE stock SET on_hand = on_hand + :delta WHERE item_code = :code")
_SET = text("UPDATE stock SET on_hand = :on_hand WHERE item_code = :code RETURNING on_hand")
_ADD_TO = text("UPDATE stock SET on_hand = on_hand + :delta WHERE item_code = :code RETURNING on_hand")
_HAS = text("SELECT 1 FROM tickets WHERE order_id = :id")
_GET = text(f"SELECT {_COLUMNS} FROM tickets WHERE order_id = :id")
_INSERT = text(f"INSERT INTO tickets ({_COLUMNS}) VALUES (:order_id, :lines, :status, :created_at, :release_at,"
               " :started_at, :cooked_at, :cancelled_at, :late)")
_SAVE = text("UPDATE tickets SET status=:status, created_at=:created_at, started_at=:started_at,"
             " cooked_at=:cooked_at, cancelled_at=:cancelled_at, late=:late WHERE order_id=:order_id")
_BY_STATUS = text(f"SELECT {_COLUMNS} FROM tickets WHERE status IN :statuses ORDER BY created_at, order_id"
                  ).bindparams(bindparam("statuses", expanding=True))
_DUE = text(f"SELECT {_COLUMNS} FROM tickets WHERE status = '{SCHEDULED}' AND release_at <= :now")


class KitchenRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def on_hand(self, codes: Iterable[str]) -> dict[str, int]:
        return {row[0]: row[1] for row in self.conn.execute(_ON_HAND, {"codes": sorted(codes)})}

    def take(self, demand: Mapping[str, int]) -> None:
        self.conn.execute(_ADJUST, [{"code": code, "delta": -units} for code, units in demand.items()])

    def give_back(self, demand: Mapping[str, int]) -> None:
        self.conn.execute(_ADJUST, [{"code": code, "delta": units} for code, units in demand.items()])

    def set_on_hand(self, code: str, on_hand: int) -> int | None:
        return self.conn.execute(_SET, {"code": code, "on_hand": on_hand}).scalar()

    def add_on_hand(self, code: str, delta: int) -> int | None:
        return self.conn.execute(_ADD_TO, {"code": code, "delta": delta}).scalar()

    def has_ticket(self, order_id: int) -> bool:
        return self.conn.execute(_HAS, {"id": order_id}).first() is not None

    def get(self, order_id: int) -> Ticket | None:
        row = self.conn.execute(_GET, {"id": order_id}).first()
        return ticket_from_row(row) if row else None

    def add(self, ticket: Ticket) -> None:
        self.conn.execute(_INSERT, _params(ticket))

    def save(self, ticket: Ticket) -> None:
        self.conn.execute(_SAVE, _params(ticket))

    def open_tickets(self) -> list[Ticket]:
        return [ticket_from_row(row) for row in self.conn.execute(_BY_STATUS, {"statuses": list(OPEN)})]

    def scheduled_due(self, now: float) -> list[Ticket]:
        return [ticket_from_row(row) for row in self.conn.execute(_DUE, {"now": now})]


def _params(ticket: Ticket) -> dict:
    params = dict(ticket.__dict__)
    params["lines"] = json.dumps(ticket.lines, ensure_ascii=False)
    return params


def ticket_from_row(row) -> Ticket:
    return Ticket(order_id=row.order_id, lines=json.loads(row.lines), status=row.status,
                  created_at=row.created_at, release_at=row.release_at, started_at=row.started_at,
                  cooked_at=row.cooked_at, cancelled_at=row.cancelled_at, late=bool(row.late))
