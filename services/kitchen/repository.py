"""Kitchen tables (tickets, stock)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from services.infra.sql import Sql, from_json, placeholders, to_json
from services.kitchen.context import KitchenRepo
from services.kitchen.model import Ticket
from services.statuses import OPEN_TICKETS, TicketStatus

_COLUMNS = ("order_id, lines, status, created_at, release_at, started_at, cooked_at, cancelled_at, late, order_type,"
            ' table_no AS "table"')
_INSERTED = ("order_id, lines, status, created_at, release_at, started_at, cooked_at, cancelled_at, late, order_type,"
             " table_no")
_ADJUST = "UPDATE stock SET on_hand = on_hand + ? WHERE item_code = ?"
_INSERT = (f"INSERT OR IGNORE INTO tickets ({_INSERTED}) VALUES (:order_id, :lines, :status, :created_at,"
           " :release_at, :started_at, :cooked_at, :cancelled_at, :late, :order_type, :table)")
# Spelled out, not bound: a partial index serves only a query whose WHERE repeats the index's own.
_OPEN_NOT_LATE = "status IN (" + ", ".join(f"'{status}'" for status in OPEN_TICKETS) + ") AND late = 0"
# INDEXED BY: left to itself the planner prefers ix_tickets_status, which reads every open ticket.
LATE_CANDIDATES = (f"SELECT {_COLUMNS} FROM tickets INDEXED BY ix_tickets_open_not_late"
                   f" WHERE {_OPEN_NOT_LATE} AND created_at < ? ORDER BY created_at, order_id")
_SAVE = ("UPDATE tickets SET status=:status, created_at=:created_at, started_at=:started_at, cooked_at=:cooked_at,"
         " cancelled_at=:cancelled_at, late=:late WHERE order_id=:order_id")


class KitchenRepository(KitchenRepo):
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def on_hand(self, codes: Iterable[str]) -> dict[str, int]:
        codes = sorted(codes)
        rows = self.sql.all(f"SELECT item_code, on_hand FROM stock WHERE item_code IN {placeholders(codes)}", codes)
        return {row[0]: row[1] for row in rows}

    def take(self, demand: Mapping[str, int]) -> None:
        self.sql.run_many(_ADJUST, [(-units, code) for code, units in demand.items()])

    def give_back(self, demand: Mapping[str, int]) -> None:
        self.sql.run_many(_ADJUST, [(units, code) for code, units in demand.items()])

    def set_on_hand(self, code: str, on_hand: int) -> int | None:
        return self.sql.scalar("UPDATE stock SET on_hand = ? WHERE item_code = ? RETURNING on_hand", (on_hand, code))

    def add_on_hand(self, code: str, delta: int) -> int | None:
        return self.sql.scalar("UPDATE stock SET on_hand = on_hand + ? WHERE item_code = ? RETURNING on_hand",
                               (delta, code))

    def get(self, order_id: int) -> Ticket | None:
        row = self.sql.one(f"SELECT {_COLUMNS} FROM tickets WHERE order_id = ?", (order_id,))
        return ticket_from_row(row) if row else None

    def add_if_new(self, ticket: Ticket) -> bool:
        """Insert ``ticket`` unless its order already has one; returns whether it did."""
        return self.sql.run(_INSERT, _params(ticket)).rowcount == 1

    def save(self, ticket: Ticket) -> None:
        self.sql.run(_SAVE, _params(ticket))

    def late_candidates(self, created_before: float) -> list[Ticket]:
        """Open tickets not yet flagged late, created before ``created_before`` (index-only: see 0004)."""
        rows = self.sql.all(LATE_CANDIDATES, (created_before,))
        return [ticket_from_row(row) for row in rows]

    def scheduled_due(self, now: float) -> list[Ticket]:
        rows = self.sql.all(f"SELECT {_COLUMNS} FROM tickets WHERE status = ? AND release_at <= ?",
                            (TicketStatus.SCHEDULED, now))
        return [ticket_from_row(row) for row in rows]


    def open_stock(self, code: str, on_hand: int) -> None:
        self.sql.run("INSERT OR IGNORE INTO stock (item_code, on_hand) VALUES (?, ?)", (code, on_hand))


def _params(ticket: Ticket) -> dict:
    params = dict(ticket.__dict__)
    params["lines"] = to_json(ticket.lines)
    return params


def ticket_from_row(row) -> Ticket:
    fields = dict(row)
    fields["lines"], fields["late"] = from_json(fields["lines"]), bool(fields["late"])
    fields["status"] = TicketStatus(fields["status"])
    return Ticket(**fields)
