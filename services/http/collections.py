"""Paged reads for the gateway's collection routes (the original's Spring Data REST resources).

The port's queries answer whole lists, which is right for a screen and wrong for a server: after a
busy day ``GET /orders`` returned 167,000 orders (25 MB), and eight at once took a worker from
161 MB to 1.43 GB. Here every collection is read one page at a time with ``LIMIT``/``OFFSET`` on the
shop file's read side, so what a request costs is bounded by the page size whatever is asked.

Read-only SQL on a reader connection of the shop file (the same CQRS read side as
``services.local.views``, whose row-to-view mappings it reuses): the gateway always serves a shop
file, in process or as a replica.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

from sqlalchemy import text

from services.errors import UnknownOrder
from services.infra.db import reader_engine
from services.infra.sql import from_json
from services.kitchen.model import OPEN
from services.local.views import _ticket_line, start_of_today, when
from services.mypage.model import overall_status
from services.port import DeliveryCard, OrderSummary, Ticket

# The statuses' values spelled out (the repr of a StrEnum member is not SQL).
_OPEN_TICKETS = "status IN (" + ", ".join(f"'{status.value}'" for status in OPEN) + ")"

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500

_TODAY = "m.ordered_at >= :since OR m.scheduled_for >= :since"
# Today's orders with each order's type and its bill (the read side joins what the contexts keep apart).
_SUMMARIES = ("mypage m LEFT JOIN orders o ON o.id = m.order_id LEFT JOIN bills b ON b.order_id = m.order_id")
_SUMMARY_COLUMNS = ("m.*, o.order_type, o.table_no, coalesce(b.status, '') AS bill_status,"
                    " coalesce(b.total - b.paid, 0) AS due")


@dataclass(frozen=True)
class Page:
    items: list
    number: int          # 0-based, as Spring Data REST counts
    size: int
    total: int

    @property
    def total_pages(self) -> int:
        return -(-self.total // self.size) if self.size else 0


@dataclass(frozen=True)
class Gift:
    order_id: int
    kind: str
    status: str
    sent_at: Any
    cancelled_at: Any


class Collections:
    def __init__(self, path: Path, clock: Callable[[], float]) -> None:
        self._engine = reader_engine(Path(path))
        self._clock = clock

    def dispose(self) -> None:
        self._engine.dispose()

    def _page(self, table: str, where: str, order: str, page: int, size: int, make, columns: str = "*",
              **params) -> Page:
        where_sql = f" WHERE {where}" if where else ""
        with self._engine.connect() as conn:       # one read transaction: the count and the rows agree
            total = conn.execute(text(f"SELECT count(*) FROM {table}{where_sql}"), params).scalar_one()
            rows = conn.execute(text(f"SELECT {columns} FROM {table}{where_sql} ORDER BY {order}"
                                     " LIMIT :limit OFFSET :offset"),
                                {**params, "limit": size, "offset": page * size}).all()
        return Page([make(row) for row in rows], page, size, total)

    def _one(self, table: str, order_id: int, make, what: str, columns: str = "*", key: str = "order_id"):
        with self._engine.connect() as conn:
            row = conn.execute(text(f"SELECT {columns} FROM {table} WHERE {key} = :id"), {"id": order_id}).first()
        if row is None:
            raise UnknownOrder(f"There is no {what} for order {order_id}")
        return make(row)

    # -- orders: today's (the counter's list), and any one order ---------------------------------
    def todays_orders(self, page: int, size: int) -> Page:
        return self._page(_SUMMARIES, _TODAY, "m.order_id DESC", page, size, _summary, columns=_SUMMARY_COLUMNS,
                          since=start_of_today(self._clock()))

    def order(self, order_id: int) -> OrderSummary:
        return self._one(_SUMMARIES, order_id, _summary, "order", columns=_SUMMARY_COLUMNS, key="m.order_id")

    # -- cooks: open tickets in arrival order, and any order's ticket ------------------------------
    def open_tickets(self, page: int, size: int) -> Page:
        return self._page("tickets", _OPEN_TICKETS, "created_at, order_id", page, size, _ticket)

    def ticket(self, order_id: int) -> Ticket:
        return self._one("tickets", order_id, _ticket, "kitchen ticket")

    # -- deliveries, gifts, mypages ------------------------------------------------------------------
    def deliveries(self, page: int, size: int) -> Page:
        return self._page("deliveries", "", "order_id DESC", page, size, _delivery)

    def delivery(self, order_id: int) -> DeliveryCard:
        return self._one("deliveries", order_id, _delivery, "delivery")

    def gifts(self, page: int, size: int) -> Page:
        return self._page("gifts", "", "order_id DESC", page, size, _gift)

    def gift(self, order_id: int) -> Gift:
        return self._one("gifts", order_id, _gift, "gift")

    def mypage_ids(self, page: int, size: int) -> Page:
        """Order ids of mypage cards, newest first (the route reads each card through the port)."""
        return self._page("mypage", "", "order_id DESC", page, size, lambda row: row.order_id)


def _summary(r) -> OrderSummary:
    return OrderSummary(order_id=r.order_id, customer_name=r.customer_name, phone=r.phone, total=r.total,
                        status=overall_status(r._mapping), placed_at=when(r.ordered_at),
                        scheduled_for=when(r.scheduled_for), reason=r.reason, order_type=r.order_type or "delivery",
                        table=r.table_no, bill_status=r.bill_status, balance=r.due if r.bill_status == "open" else 0)


def _ticket(r) -> Ticket:
    return Ticket(order_id=r.order_id, lines=tuple(_ticket_line(line) for line in from_json(r.lines)),
                  status=r.status, created_at=when(r.created_at), started_at=when(r.started_at),
                  cooked_at=when(r.cooked_at), cancelled_at=when(r.cancelled_at), late=bool(r.late),
                  order_type=r.order_type, table=r.table_no)


def _delivery(r) -> DeliveryCard:
    return DeliveryCard(order_id=r.order_id, customer_name=r.customer_name, phone=r.phone, address=r.address,
                        status=r.status, rider=r.rider, started_at=when(r.started_at),
                        picked_up_at=when(r.picked_up_at), delivered_at=when(r.delivered_at))


def _gift(r) -> Gift:
    return Gift(order_id=r.order_id, kind=r.kind, status=r.status, sent_at=when(r.sent_at),
                cancelled_at=when(r.cancelled_at))
