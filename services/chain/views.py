"""Each context's views for the gateway, as the gateway's own wire JSON (``services/http/schemas.py``
models, camelCase), so its ``services/remote/codec.py`` decodes them. The port's dataclasses are built
with the local shop's own helpers (``services.local.views``), then dumped through the same models.

ordering: menu (stock 0: the gateway fills it from kitchen), categories. kitchen: stock ``{code: on_hand}``, open
tickets. delivery: the board. gift: its stock. mypage: one order, by phone, today's orders.
"""
from __future__ import annotations

from typing import Any

from services.chain.pages import kitchen_ticket, summary
from services.chain.pg import PgSql
from services.commands import normalize_phone
from services.errors import UnknownOrder
from services.http import pos_schemas as ps
from services.http import schemas as s
from services.kitchen.model import OPEN
from services.local.views import _card, when
from services.port import Category, DeliveryBoard, DeliveryCard, GiftStock, MenuItem

# As the local shop's menu (services.local.views), without the stock: the gateway adds kitchen's.
_MENU = ("SELECT m.code, m.name_ko, m.name_en, m.category, m.price, m.available, m.printer, m.category_code"
         " FROM menu_items m LEFT JOIN menu_categories c ON c.code = m.category_code"
         " ORDER BY coalesce(c.sort, 0), m.sort")
_CATEGORIES = "SELECT code, name_ko, name_en, sort FROM menu_categories ORDER BY sort, code"
_TICKETS = ("SELECT order_id, lines, status, created_at, started_at, cooked_at, cancelled_at, late, order_type,"
            " table_no FROM tickets WHERE status IN (" + ", ".join(f"'{status}'" for status in OPEN) + ")"
            " ORDER BY created_at, order_id")
_DELIVERIES = ("SELECT * FROM deliveries WHERE status IN ('waiting', 'on_the_way')"
               " OR (status = 'delivered' AND delivered_at >= %s) ORDER BY order_id")
_MYPAGE = "SELECT * FROM mypage WHERE order_id = %s"
_BY_PHONE = "SELECT * FROM mypage WHERE phone = %s ORDER BY order_id DESC LIMIT 50"
_TODAY = "SELECT * FROM mypage WHERE ordered_at >= %s OR scheduled_for >= %s ORDER BY order_id DESC"
# The timeline as ``services.local.views._card`` reads it (``id`` is the position: the stream sequence).
_TIMELINE = "SELECT position AS id, name, at, data FROM timeline WHERE order_id = %s ORDER BY position"


def _dump(model: type[s.Wire], value) -> Any:
    return model.model_validate(value).model_dump(mode="json", by_alias=True)


def menu(sql: PgSql) -> list[dict]:
    return [_dump(s.MenuItemOut, MenuItem(row.code, row.name_ko, row.name_en, row.category, row.price, 0,
                                          available=bool(row.available), printer=row.printer,
                                          category_code=row.category_code)) for row in sql.conn.execute(_MENU)]


def categories(sql: PgSql) -> list[dict]:
    return [_dump(ps.CategoryOut, Category(*row)) for row in sql.conn.execute(_CATEGORIES)]


def kitchen_stock(sql: PgSql) -> dict[str, int]:
    return {code: on_hand for code, on_hand in sql.conn.execute("SELECT item_code, on_hand FROM stock")}


def kitchen_tickets(sql: PgSql) -> list[dict]:
    return [_dump(s.TicketOut, kitchen_ticket(r)) for r in sql.conn.execute(_TICKETS)]


def delivery_board(sql: PgSql, since: float) -> dict:
    cards = [DeliveryCard(order_id=r.order_id, customer_name=r.customer_name, phone=r.phone, address=r.address,
                          status=r.status, rider=r.rider, started_at=when(r.started_at),
                          picked_up_at=when(r.picked_up_at), delivered_at=when(r.delivered_at))
             for r in sql.conn.execute(_DELIVERIES, (since,))]
    board = DeliveryBoard(waiting=tuple(c for c in cards if c.status == "waiting"),
                          on_the_way=tuple(c for c in cards if c.status == "on_the_way"),
                          delivered_today=tuple(c for c in cards if c.status == "delivered"))
    return _dump(s.DeliveryBoardOut, board)


def gift_stock(sql: PgSql) -> dict:
    row = sql.one("SELECT kind, quantity FROM gift_stock WHERE id = 1")
    return _dump(s.GiftStockOut, GiftStock(row.kind, row.quantity) if row else GiftStock("", 0))


def mypage(sql: PgSql, order_id: int) -> dict:
    row = sql.conn.execute(_MYPAGE, (order_id,)).fetchone()
    if row is None:
        raise UnknownOrder(f"There is no order {order_id}")
    return _dump(s.MypageOut, _card(row, sql.conn.execute(_TIMELINE, (order_id,)).fetchall()))


def mypage_by_phone(sql: PgSql, phone: str) -> list[dict]:
    rows = sql.conn.execute(_BY_PHONE, (normalize_phone(phone),)).fetchall()
    return [_dump(s.MypageOut, _card(row, sql.conn.execute(_TIMELINE, (row.order_id,)).fetchall())) for row in rows]


def todays_orders(sql: PgSql, since: float) -> list[dict]:
    return [_dump(s.OrderSummaryOut, summary(r)) for r in sql.conn.execute(_TODAY, (since, since))]
