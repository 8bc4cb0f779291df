"""Ordering tables (menu_items, orders) on a SQLAlchemy connection."""
from __future__ import annotations

import json

from sqlalchemy import Connection, bindparam, text

from services.ordering.model import Order, MenuEntry

_MENU = text("SELECT code, name_ko, name_en, price FROM menu_items WHERE code IN :codes").bindparams(
    bindparam("codes", expanding=True))
_BY_REF = text("SELECT id FROM orders WHERE client_ref = :ref")
_INSERT = text(
    "INSERT INTO orders (client_ref, customer_name, phone, address, lines, total, status, reason, placed_at,"
    " scheduled_for, gift_status, gift_kind, gift_attempts) VALUES (:client_ref, :customer_name, :phone,"
    " :address, :lines, :total, :status, :reason, :placed_at, :scheduled_for, :gift_status, :gift_kind,"
    " :gift_attempts)")
_SAVE = text("UPDATE orders SET status=:status, reason=:reason, gift_status=:gift_status, gift_kind=:gift_kind,"
             " gift_attempts=:gift_attempts WHERE id=:id")
_COLUMNS = ("id, client_ref, customer_name, phone, address, lines, total, status, reason, placed_at,"
            " scheduled_for, gift_status, gift_kind, gift_attempts")
_GET = text(f"SELECT {_COLUMNS} FROM orders WHERE id = :id")
_DEFERRED = text(f"SELECT {_COLUMNS} FROM orders WHERE gift_status = 'deferred' ORDER BY id")


class OrderingRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def menu_entries(self, codes: set[str]) -> dict[str, MenuEntry]:
        rows = self.conn.execute(_MENU, {"codes": sorted(codes)})
        return {row.code: MenuEntry(row.code, row.name_ko, row.name_en, row.price) for row in rows}

    def id_for_client_ref(self, ref: str) -> int | None:
        return self.conn.execute(_BY_REF, {"ref": ref}).scalar()

    def add(self, order: Order) -> int:
        params = _params(order)
        params["lines"] = json.dumps(order.lines, ensure_ascii=False)
        params.update(customer_name=order.customer_name, phone=order.phone, address=order.address,
                      total=order.total, placed_at=order.placed_at, scheduled_for=order.scheduled_for,
                      client_ref=order.client_ref)
        return self.conn.execute(_INSERT, params).lastrowid

    def save(self, order: Order) -> None:
        self.conn.execute(_SAVE, _params(order))

    def get(self, order_id: int) -> Order | None:
        row = self.conn.execute(_GET, {"id": order_id}).first()
        return _order(row) if row else None

    def orders_with_deferred_gift(self) -> list[Order]:
        return [_order(row) for row in self.conn.execute(_DEFERRED)]


def _params(order: Order) -> dict:
    return {"id": order.id, "status": order.status, "reason": order.reason, "gift_status": order.gift_status,
            "gift_kind": order.gift_kind, "gift_attempts": order.gift_attempts}


def _order(row) -> Order:
    return Order(id=row.id, client_ref=row.client_ref, customer_name=row.customer_name, phone=row.phone,
                 address=row.address, lines=json.loads(row.lines), total=row.total, status=row.status,
                 reason=row.reason, placed_at=row.placed_at, scheduled_for=row.scheduled_for,
                 gift_status=row.gift_status, gift_kind=row.gift_kind, gift_attempts=row.gift_attempts)
