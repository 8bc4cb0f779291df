"""Each context's paged views and single items for the gateway (the port's ``*_page`` queries and
items), as the gateway's own wire JSON (``services/http/schemas.py`` models, camelCase).

A page is read with ``LIMIT``/``OFFSET`` and counted in the same REPEATABLE READ snapshot, so a request
costs what its page costs whatever the table holds, and the total agrees with the items. A page
answers ``{"items": [...], "number", "size", "total"}``; an item missing raises UnknownOrder (404).
Each context reads only its own schema: orders and mypages from mypage's projection, tickets from
kitchen, deliveries from delivery, gifts from gift. The row-to-view mappings are the local shop's
(``services.local.pages``), so both shops answer alike.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.chain.pg import PgSql
from services.errors import UnknownOrder
from services.http import schemas as s
from services.infra.sql import from_json
from services.local.pages import _delivery, _gift
from services.local.views import _card, _ticket_line, when
from services.mypage.model import overall_status
from services.port import OrderSummary, Ticket, paging
from services.statuses import OPEN_TICKETS, TicketStatus

_OPEN = "status IN (" + ", ".join(f"'{status}'" for status in OPEN_TICKETS) + ")"
_TODAY = "ordered_at >= %(since)s OR scheduled_for >= %(since)s"
# The timeline as ``services.local.views._card`` reads it (``id`` is the position: the stream sequence).
_TIMELINES = ("SELECT order_id, position AS id, name, at, data FROM timeline WHERE order_id = ANY(%s)"
              " ORDER BY order_id, position")


def _dump(model: type[s.Wire], value) -> Any:
    return model.model_validate(value).model_dump(mode="json", by_alias=True)


def _snapshot(sql: PgSql) -> None:
    """The rest of this read transaction sees one snapshot (the count and the rows agree)."""
    sql.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _page(sql: PgSql, table: str, where: str, order: str, page: int, size: int,
          make: Callable[[PgSql, list], list], **params) -> dict:
    page, size = paging(page, size)
    where_sql = f" WHERE {where}" if where else ""
    _snapshot(sql)
    counted = sql.conn.execute(f"SELECT count(*) AS n FROM {table}{where_sql}", params).fetchone()
    assert counted is not None, "a count answers one row"
    total = counted.n
    rows = sql.conn.execute(f"SELECT * FROM {table}{where_sql} ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s",
                            {**params, "limit": size, "offset": page * size}).fetchall()
    return {"items": make(sql, rows), "number": page, "size": size, "total": total}


def _one(sql: PgSql, table: str, order_id: int, what: str):
    row = sql.conn.execute(f"SELECT * FROM {table} WHERE order_id = %s", (order_id,)).fetchone()
    if row is None:
        raise UnknownOrder(f"There is no {what} for order {order_id}")
    return row


def _each(model: type[s.Wire], to_view) -> Callable[[PgSql, list], list]:
    return lambda _sql, rows: [_dump(model, to_view(row)) for row in rows]


def summary(r) -> OrderSummary:
    """A mypage row as the counter's order list shows it (also ``views.todays_orders``)."""
    return OrderSummary(order_id=r.order_id, customer_name=r.customer_name, phone=r.phone, total=r.total,
                        status=overall_status(dict(r)), placed_at=when(r.ordered_at),
                        scheduled_for=when(r.scheduled_for), reason=r.reason)


def _cards(sql: PgSql, rows: list) -> list[dict]:
    """The page's cards with their timelines, read in one query (not one per card)."""
    timelines: dict[int, list] = {row.order_id: [] for row in rows}
    if timelines:
        for t in sql.conn.execute(_TIMELINES, (list(timelines),)):
            timelines[t.order_id].append(t)
    return [_dump(s.MypageOut, _card(row, timelines[row.order_id])) for row in rows]


# -- mypage: today's orders (the counter's list), any one order, and the cards ----------------------
def orders_page(sql: PgSql, page: int, size: int, since: float) -> dict:
    return _page(sql, "mypage", _TODAY, "order_id DESC", page, size, _each(s.OrderSummaryOut, summary), since=since)


def order_summary(sql: PgSql, order_id: int) -> dict:
    return _dump(s.OrderSummaryOut, summary(_one(sql, "mypage", order_id, "order")))


def mypages_page(sql: PgSql, page: int, size: int) -> dict:
    return _page(sql, "mypage", "", "order_id DESC", page, size, _cards)


# -- kitchen: open tickets in arrival order, and any order's ticket ---------------------------------
def tickets_page(sql: PgSql, page: int, size: int) -> dict:
    return _page(sql, "tickets", _OPEN, "created_at, order_id", page, size, _each(s.TicketOut, kitchen_ticket))


def ticket(sql: PgSql, order_id: int) -> dict:
    return _dump(s.TicketOut, kitchen_ticket(_one(sql, "tickets", order_id, "kitchen ticket")))


# -- delivery and gift: every one, newest order first -----------------------------------------------
def deliveries_page(sql: PgSql, page: int, size: int) -> dict:
    return _page(sql, "deliveries", "", "order_id DESC", page, size, _each(s.DeliveryCardOut, _delivery))


def delivery(sql: PgSql, order_id: int) -> dict:
    return _dump(s.DeliveryCardOut, _delivery(_one(sql, "deliveries", order_id, "delivery")))


def gifts_page(sql: PgSql, page: int, size: int) -> dict:
    return _page(sql, "gifts", "", "order_id DESC", page, size, _each(s.GiftOut, _gift))


def gift(sql: PgSql, order_id: int) -> dict:
    return _dump(s.GiftOut, _gift(_one(sql, "gifts", order_id, "gift")))


def kitchen_ticket(r, _conn=None) -> Ticket:
    """A row of the kitchen's own tickets table as the port's Ticket. The kitchen keeps no customer and
    no order time (mypage does, in another schema), so those keep their defaults here."""
    return Ticket(order_id=r.order_id, lines=tuple(_ticket_line(line) for line in from_json(r.lines)),
                  status=TicketStatus(r.status), created_at=when(r.created_at), started_at=when(r.started_at),
                  cooked_at=when(r.cooked_at), cancelled_at=when(r.cancelled_at), late=bool(r.late),
                  order_type=r.order_type or "delivery", table=r.table_no)
