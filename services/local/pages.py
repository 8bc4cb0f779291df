"""Paged reads of the shop file: the port's ``*_page`` queries and single items (the gateway's
collections, the original's Spring Data REST resources).

The port's list queries answer whole lists, which is right for a screen and wrong for a server: after
a busy day ``GET /orders`` returned 167,000 orders (25 MB), and eight at once took a worker from
161 MB to 1.43 GB. Here every collection is read one page at a time with ``LIMIT``/``OFFSET``, the
count and the rows in one read transaction, so what a request costs is bounded by the page size
whatever is asked. Read-only SQL in the read transactions of ``services.local.views`` (the CQRS read
side), whose row-to-view mappings it reuses.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from services.commands import order_id as checked_order_id
from services.errors import UnknownOrder
from services.local.views import (_TIMELINE, TICKET_COLUMNS, TICKETS_WITH_ORDER, ShopViews, _card, _in,
                                  start_of_today, ticket_of, when)
from services.mypage.model import overall_status
from services.port import DeliveryCard, GiftRecord, MypageCard, OrderSummary, Page, Ticket, paging
from services.statuses import OPEN_TICKETS, DeliveryStatus

_TODAY = "m.ordered_at >= :since OR m.scheduled_for >= :since"
# Today's orders with each order's type and its bill (the read side joins what the contexts keep apart).
_SUMMARIES = "mypage m LEFT JOIN orders o ON o.id = m.order_id LEFT JOIN bills b ON b.order_id = m.order_id"
_SUMMARY_COLUMNS = ("m.*, o.order_type, o.table_no, coalesce(b.status, '') AS bill_status,"
                    " coalesce(b.total - b.paid, 0) AS due")


class ShopPages:
    def __init__(self, views: ShopViews, clock: Callable[[], float]) -> None:
        self._connect = views.connect  # its read transactions (an ``as_of`` snapshot included)
        self._clock = clock

    def _page(self, table: str, where: str, order: str, page: int, size: int, make, columns: str = "*",
              **params) -> Page:
        page, size = paging(page, size)
        where_sql = f" WHERE {where}" if where else ""
        with self._connect() as conn:       # one read transaction: the count and the rows agree
            total = conn.execute(text(f"SELECT count(*) FROM {table}{where_sql}"), params).scalar_one()
            rows = conn.execute(text(f"SELECT {columns} FROM {table}{where_sql} ORDER BY {order}"
                                     " LIMIT :limit OFFSET :offset"),
                                {**params, "limit": size, "offset": page * size}).all()
            return Page(tuple(make(row, conn) for row in rows), page, size, total)

    def _one(self, table: str, order_id: int, make, what: str, columns: str = "*", key: str = "order_id"):
        order_id = checked_order_id(order_id)
        with self._connect() as conn:
            row = conn.execute(text(f"SELECT {columns} FROM {table} WHERE {key} = :id"), {"id": order_id}).first()
            if row is None:
                raise UnknownOrder(f"There is no {what} for order {order_id}")
            return make(row, conn)

    # -- orders: today's (the counter's list), and any one order ---------------------------------
    def orders_page(self, page: int, size: int) -> Page[OrderSummary]:
        return self._page(_SUMMARIES, _TODAY, "m.order_id DESC", page, size, _summary, columns=_SUMMARY_COLUMNS,
                          since=start_of_today(self._clock()))

    def order_summary(self, order_id: int) -> OrderSummary:
        return self._one(_SUMMARIES, order_id, _summary, "order", columns=_SUMMARY_COLUMNS, key="m.order_id")

    # -- tickets: open ones in arrival order, and any order's ticket ------------------------------
    def tickets_page(self, page: int, size: int) -> Page[Ticket]:
        return self._page(TICKETS_WITH_ORDER, f"t.status IN {_in(OPEN_TICKETS)}", "t.created_at, t.order_id", page,
                          size, ticket_of, columns=TICKET_COLUMNS)

    def ticket(self, order_id: int) -> Ticket:
        return self._one(TICKETS_WITH_ORDER, order_id, ticket_of, "kitchen ticket", columns=TICKET_COLUMNS,
                         key="t.order_id")

    # -- deliveries, gifts, mypages ------------------------------------------------------------------
    def deliveries_page(self, page: int, size: int) -> Page[DeliveryCard]:
        return self._page("deliveries", "", "order_id DESC", page, size, _delivery)

    def delivery(self, order_id: int) -> DeliveryCard:
        return self._one("deliveries", order_id, _delivery, "delivery")

    def gifts_page(self, page: int, size: int) -> Page[GiftRecord]:
        return self._page("gifts", "", "order_id DESC", page, size, _gift)

    def gift(self, order_id: int) -> GiftRecord:
        return self._one("gifts", order_id, _gift, "gift")

    def mypages_page(self, page: int, size: int) -> Page[MypageCard]:
        return self._page("mypage", "", "order_id DESC", page, size, _mypage)


def _summary(r, _conn=None) -> OrderSummary:
    return OrderSummary(order_id=r.order_id, customer_name=r.customer_name, phone=r.phone, total=r.total,
                        status=overall_status(r._mapping), placed_at=when(r.ordered_at),
                        scheduled_for=when(r.scheduled_for), reason=r.reason, order_type=r.order_type or "delivery",
                        table=r.table_no, bill_status=r.bill_status, balance=r.due if r.bill_status == "open" else 0)


def _delivery(r, _conn=None) -> DeliveryCard:
    return DeliveryCard(order_id=r.order_id, customer_name=r.customer_name, phone=r.phone, address=r.address,
                        status=DeliveryStatus(r.status), rider=r.rider, started_at=when(r.started_at),
                        picked_up_at=when(r.picked_up_at), delivered_at=when(r.delivered_at))


def _gift(r, _conn=None) -> GiftRecord:
    return GiftRecord(order_id=r.order_id, kind=r.kind, status=r.status, sent_at=when(r.sent_at),
                      cancelled_at=when(r.cancelled_at))


def _mypage(r, conn: Any) -> MypageCard:
    return _card(r, conn.execute(_TIMELINE, {"id": r.order_id}).all())
