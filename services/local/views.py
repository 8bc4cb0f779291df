"""Queries for the screens: plain SQL on a reader connection, returning the port's views (CQRS read side)."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, UTC
from typing import TypeVar, overload

from sqlalchemy import Connection, Engine, text

from services.commands import normalize_phone
from services.errors import UnknownOrder
from services.infra.outbox import read_after
from services.infra.sql import from_json
from services.mypage.model import overall_status
from services.port import (AsOf, DeliveryBoard, DeliveryCard, EventRecord, GiftStock, MenuItem, MypageCard,
                           OrderSummary, Ticket, TicketLine, TimelineEntry)
from services.statuses import OPEN_TICKETS, DeliveryStatus, TicketStatus


def _in(statuses) -> str:
    """``('a', 'b')`` for a SQL ``IN`` over statuses spelled out (a partial index needs them literal)."""
    return "(" + ", ".join(f"'{status}'" for status in statuses) + ")"


_MENU = text("SELECT m.code, m.name_ko, m.name_en, m.category, m.price, coalesce(s.on_hand, 0) AS stock,"
             " m.available, m.printer, m.category_code"
             " FROM menu_items m LEFT JOIN stock s ON s.item_code = m.code"
             " LEFT JOIN menu_categories c ON c.code = m.category_code ORDER BY coalesce(c.sort, 0), m.sort")
_GIFT_STOCK = text("SELECT kind, quantity FROM gift_stock WHERE id = 1")
# The card's order details (placed, customer, scheduled) from mypage: the read side may join the contexts.
TICKETS_WITH_ORDER = "tickets t LEFT JOIN mypage m ON m.order_id = t.order_id"
TICKET_COLUMNS = ("t.order_id, t.lines, t.status, t.created_at, t.started_at, t.cooked_at, t.cancelled_at, t.late,"
                  " t.order_type, t.table_no, m.ordered_at, coalesce(m.customer_name, '') AS customer_name,"
                  " m.scheduled_for")
_TICKETS = text(f"SELECT {TICKET_COLUMNS} FROM {TICKETS_WITH_ORDER}"
                f" WHERE t.status IN {_in(OPEN_TICKETS)} ORDER BY t.created_at, t.order_id")
_ON_THE_BOARD = (DeliveryStatus.WAITING, DeliveryStatus.ON_THE_WAY)
_DELIVERIES = text(f"SELECT * FROM deliveries WHERE status IN {_in(_ON_THE_BOARD)}"
                   f" OR (status = '{DeliveryStatus.DELIVERED}' AND delivered_at >= :since) ORDER BY order_id")
_MYPAGE = text("SELECT * FROM mypage WHERE order_id = :id")
_MYPAGE_BY_PHONE = text("SELECT * FROM mypage WHERE phone = :phone ORDER BY order_id DESC LIMIT 50")
# Today's orders: placed today, or placed earlier for today or later (a scheduled order is today's business).
# The order's type and its bill (money still due) beside it: the read side may join what the contexts keep apart.
_TODAY = text("SELECT m.*, o.order_type, o.table_no, coalesce(b.status, '') AS bill_status,"
              " coalesce(b.total - b.paid, 0) AS due FROM mypage m LEFT JOIN orders o ON o.id = m.order_id"
              " LEFT JOIN bills b ON b.order_id = m.order_id"
              " WHERE m.ordered_at >= :since OR m.scheduled_for >= :since ORDER BY m.order_id DESC")
_LATEST = text("SELECT coalesce(max(id), 0) FROM outbox")
_TIMELINE = text("SELECT id, name, at, data FROM outbox WHERE order_id = :id ORDER BY id")

T = TypeVar("T")


@overload
def when(epoch: float) -> datetime: ...
@overload
def when(epoch: None) -> None: ...
def when(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, tz=UTC)


def start_of_today(now: float) -> float:
    local = time.localtime(now)
    return time.mktime((local.tm_year, local.tm_mon, local.tm_mday, 0, 0, 0, 0, 0, -1))


class ShopViews:
    def __init__(self, engine: Engine, clock) -> None:
        self._engine, self._clock = engine, clock
        self._snapshot = threading.local()   # .conn: the read transaction of an ``as_of`` on this thread

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """The ``as_of`` snapshot this thread is reading in, else a read transaction of its own."""
        conn = getattr(self._snapshot, "conn", None)
        if conn is not None:
            yield conn
            return
        with self._engine.connect() as conn:
            yield conn

    def as_of(self, query: Callable[[], T]) -> AsOf[T]:
        """Run ``query`` and read the newest position in one read transaction (one WAL snapshot), so
        the position is exactly the last event the answer includes."""
        if getattr(self._snapshot, "conn", None) is not None:
            raise RuntimeError("as_of is not re-entrant")
        with self._engine.connect() as conn:
            self._snapshot.conn = conn
            try:
                position = conn.execute(_LATEST).scalar_one()   # the first read fixes the snapshot
                return AsOf(position, query())
            finally:
                self._snapshot.conn = None

    def dispose(self) -> None:
        self._engine.dispose()

    def _rows(self, query, **params):
        with self.connect() as conn:
            return conn.execute(query, params).all()

    def menu(self) -> list[MenuItem]:
        return [MenuItem(row.code, row.name_ko, row.name_en, row.category, row.price, row.stock,
                         available=bool(row.available), printer=row.printer, category_code=row.category_code)
                for row in self._rows(_MENU)]

    def gift_stock(self) -> GiftStock:
        rows = self._rows(_GIFT_STOCK)
        return GiftStock(rows[0].kind, rows[0].quantity) if rows else GiftStock("", 0)

    def kitchen_tickets(self) -> list[Ticket]:
        return [ticket_of(r) for r in self._rows(_TICKETS)]

    def delivery_board(self) -> DeliveryBoard:
        cards = [DeliveryCard(order_id=r.order_id, customer_name=r.customer_name, phone=r.phone, address=r.address,
                              status=DeliveryStatus(r.status), rider=r.rider, started_at=when(r.started_at),
                              picked_up_at=when(r.picked_up_at), delivered_at=when(r.delivered_at))
                 for r in self._rows(_DELIVERIES, since=start_of_today(self._clock()))]
        return DeliveryBoard(waiting=tuple(c for c in cards if c.status == DeliveryStatus.WAITING),
                             on_the_way=tuple(c for c in cards if c.status == DeliveryStatus.ON_THE_WAY),
                             delivered_today=tuple(c for c in cards if c.status == DeliveryStatus.DELIVERED))

    def mypage(self, order_id: int) -> MypageCard:
        with self.connect() as conn:
            row = conn.execute(_MYPAGE, {"id": order_id}).first()
            if row is None:
                raise UnknownOrder(f"There is no order {order_id}")
            return _card(row, conn.execute(_TIMELINE, {"id": order_id}).all())

    def mypage_by_phone(self, phone: str) -> list[MypageCard]:
        with self.connect() as conn:
            rows = conn.execute(_MYPAGE_BY_PHONE, {"phone": normalize_phone(phone)}).all()
            return [_card(row, conn.execute(_TIMELINE, {"id": row.order_id}).all()) for row in rows]

    def todays_orders(self) -> list[OrderSummary]:
        return [OrderSummary(order_id=r.order_id, customer_name=r.customer_name, phone=r.phone, total=r.total,
                             status=overall_status(r._mapping), placed_at=when(r.ordered_at),
                             scheduled_for=when(r.scheduled_for), reason=r.reason,
                             order_type=r.order_type or "delivery", table=r.table_no, bill_status=r.bill_status,
                             balance=r.due if r.bill_status == "open" else 0)
                for r in self._rows(_TODAY, since=start_of_today(self._clock()))]

    def events_since(self, position: int, limit: int = 500) -> list[EventRecord]:
        with self.connect() as conn:
            return [to_event_record(record) for record in read_after(conn, position, max(1, min(limit, 5000)))]

    def latest_position(self) -> int:
        with self.connect() as conn:
            return conn.execute(_LATEST).scalar_one()


def to_event_record(record) -> EventRecord:
    return EventRecord(position=record.position, name=record.event.name, order_id=record.event.order_id,
                       at=when(record.at), data=record.event.to_dict(), event=record.event)


def ticket_of(r, _conn=None) -> Ticket:
    """A row of TICKET_COLUMNS as the port's Ticket."""
    return Ticket(order_id=r.order_id, lines=tuple(_ticket_line(line) for line in from_json(r.lines)),
                  status=TicketStatus(r.status), created_at=when(r.created_at), started_at=when(r.started_at),
                  cooked_at=when(r.cooked_at), cancelled_at=when(r.cancelled_at), late=bool(r.late),
                  order_type=r.order_type or "delivery", table=r.table_no, placed_at=when(r.ordered_at),
                  customer_name=r.customer_name, scheduled_for=when(r.scheduled_for))


def _ticket_line(line: dict) -> TicketLine:
    return TicketLine(item_code=line["item_code"], name_ko=line["name_ko"], name_en=line["name_en"],
                      quantity=line["quantity"], note=line.get("note", ""))


def _detail(name: str, data: dict) -> str:
    if name == "Ordered":
        return f"₩{data['total']:,}"
    for key in ("reason", "gift_kind", "rider", "address"):
        if data.get(key):
            return str(data[key])
    if name == "StockChecked":
        # codes, worded by each screen (screens_common.i18n.reason_text)
        return "@in_stock" if data["in_stock"] else "@out_of_stock:" + ",".join(data["missing"])
    return ""


def _card(row, timeline_rows) -> MypageCard:
    timeline = tuple(TimelineEntry(position=t.id, event=t.name, at=when(t.at),
                                   detail=_detail(t.name, from_json(t.data)))
                     for t in timeline_rows)
    return MypageCard(order_id=row.order_id, customer_name=row.customer_name, phone=row.phone, summary=row.summary,
                      total=row.total, order_status=row.order_status, ordered_at=when(row.ordered_at),
                      cook_status=row.cook_status, cook_at=when(row.cook_at), delivery_status=row.delivery_status,
                      delivery_at=when(row.delivery_at), gift_status=row.gift_status, gift_kind=row.gift_kind,
                      gift_at=when(row.gift_at), reason=row.reason, timeline=timeline)
