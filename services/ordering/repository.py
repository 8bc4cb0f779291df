"""Ordering tables (menu_items, orders)."""
from __future__ import annotations

from services.menu_commands import SaveMenuItem
from services.infra.sql import Sql, from_json, placeholders, to_json
from services.ordering.context import OrderingRepo
from services.ordering.model import MenuEntry, Order
from services.statuses import GiftStatus, OrderStatus, OrderType

_COLUMNS = ("id, client_ref, customer_name, phone, address, lines, total, status, reason, placed_at,"
            ' scheduled_for, gift_status, gift_kind, gift_attempts, order_type, table_no AS "table", guests')
# The literal 'deferred' lets the planner use the partial index ix_orders_gift_deferred (0004).
DEFERRED_GIFTS = f"SELECT {_COLUMNS} FROM orders WHERE gift_status = 'deferred' ORDER BY id"
_INSERT = ("INSERT INTO orders (client_ref, customer_name, phone, address, lines, total, status, reason, placed_at,"
           " scheduled_for, gift_status, gift_kind, gift_attempts, order_type, table_no, guests) VALUES (:client_ref,"
           " :customer_name, :phone, :address, :lines, :total, :status, :reason, :placed_at, :scheduled_for,"
           " :gift_status, :gift_kind, :gift_attempts, :order_type, :table, :guests)")
_SAVE = ("UPDATE orders SET status=:status, reason=:reason, gift_status=:gift_status, gift_kind=:gift_kind,"
         " gift_attempts=:gift_attempts WHERE id=:id")


class OrderingRepository(OrderingRepo):
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def menu_entries(self, codes: set[str]) -> dict[str, MenuEntry]:
        ordered = sorted(codes)
        rows = self.sql.all("SELECT code, name_ko, name_en, price, available FROM menu_items"
                            f" WHERE code IN {placeholders(ordered)}", ordered)
        return {row["code"]: MenuEntry(row["code"], row["name_ko"], row["name_en"], row["price"],
                                       available=bool(row["available"])) for row in rows}

    def id_for_client_ref(self, ref: str) -> int | None:
        return self.sql.scalar("SELECT id FROM orders WHERE client_ref = ?", (ref,))

    def add(self, order: Order) -> int:
        params = _params(order)
        params.update(lines=to_json(order.lines), customer_name=order.customer_name,
                      phone=order.phone, address=order.address, total=order.total, placed_at=order.placed_at,
                      scheduled_for=order.scheduled_for, client_ref=order.client_ref,
                      order_type=order.order_type, table=order.table, guests=order.guests)
        return self.sql.insert(_INSERT, params)

    def save(self, order: Order) -> None:
        self.sql.run(_SAVE, _params(order))

    def get(self, order_id: int) -> Order | None:
        row = self.sql.one(f"SELECT {_COLUMNS} FROM orders WHERE id = ?", (order_id,))
        return _order(row) if row else None

    def receipt_fields(self, order_id: int):
        """What a receipt needs, without decoding the order's lines (this runs once per order placed)."""
        return self.sql.one("SELECT id, status, total, gift_status, gift_kind, reason, client_ref FROM orders"
                            " WHERE id = ?", (order_id,))

    def orders_with_deferred_gift(self) -> list[Order]:
        return [_order(row) for row in
                self.sql.all(DEFERRED_GIFTS)]


    # -- the manager's menu -----------------------------------------------------------------------
    def category(self, code: str) -> dict | None:
        row = self.sql.one("SELECT code, name_ko, name_en, sort FROM menu_categories WHERE code = ?", (code,))
        return dict(row) if row else None

    def next_category_sort(self) -> int:
        return (self.sql.scalar("SELECT max(sort) FROM menu_categories") or 0) + 1

    def save_category(self, code: str, name_ko: str, name_en: str, sort: int) -> None:
        self.sql.run("INSERT INTO menu_categories (code, name_ko, name_en, sort) VALUES (?, ?, ?, ?)"
                     " ON CONFLICT (code) DO UPDATE SET name_ko=excluded.name_ko, name_en=excluded.name_en,"
                     " sort=excluded.sort", (code, name_ko, name_en, sort))
        self.sql.run("UPDATE menu_items SET category = ? WHERE category_code = ?", (f"{name_ko} {name_en}", code))

    def has_item(self, code: str) -> bool:
        return self.sql.scalar("SELECT 1 FROM menu_items WHERE code = ?", (code,)) is not None

    def save_item(self, item: SaveMenuItem, label: str) -> None:
        sort = self.sql.scalar("SELECT coalesce(max(sort), -1) + 1 FROM menu_items")
        self.sql.run("INSERT INTO menu_items (code, name_ko, name_en, category, category_code, price, printer,"
                     " available, sort) VALUES (:code, :name_ko, :name_en, :label, :category, :price, :printer,"
                     " :available, :sort) ON CONFLICT (code) DO UPDATE SET name_ko=excluded.name_ko,"
                     " name_en=excluded.name_en, category=excluded.category, category_code=excluded.category_code,"
                     " price=excluded.price, printer=excluded.printer, available=excluded.available",
                     {**item.__dict__, "label": label, "available": int(item.available), "sort": sort})


def _params(order: Order) -> dict:
    return {"id": order.id, "status": order.status, "reason": order.reason, "gift_status": order.gift_status,
            "gift_kind": order.gift_kind, "gift_attempts": order.gift_attempts}


def _order(row) -> Order:
    fields = dict(row)
    fields["lines"] = from_json(fields["lines"])
    fields["status"] = OrderStatus(fields["status"])
    fields["gift_status"] = GiftStatus(fields["gift_status"]) if fields["gift_status"] else ""
    fields["order_type"] = OrderType(fields["order_type"])
    return Order(**fields)
