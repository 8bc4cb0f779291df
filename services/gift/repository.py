"""Gift tables (gifts, gift_stock)."""
from __future__ import annotations

from services.gift.context import GiftRepo
from services.gift.model import DEFAULT_KIND, Gift, GiftStock
from services.infra.sql import Sql
from services.statuses import GiftStatus

_SAVE_STOCK = ("INSERT INTO gift_stock (id, kind, quantity) VALUES (1, :kind, :quantity)"
               " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, quantity = excluded.quantity")
_INSERT = ("INSERT INTO gifts (order_id, kind, status, sent_at, cancelled_at)"
           " VALUES (:order_id, :kind, :status, :sent_at, :cancelled_at)")


class GiftRepository(GiftRepo):
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def stock(self) -> GiftStock:
        row = self.sql.one("SELECT kind, quantity FROM gift_stock WHERE id = 1")
        return GiftStock(row["kind"], row["quantity"]) if row else GiftStock(DEFAULT_KIND, 0)

    def save_stock(self, stock: GiftStock) -> None:
        self.sql.run(_SAVE_STOCK, {"kind": stock.kind, "quantity": stock.quantity})

    def get(self, order_id: int) -> Gift | None:
        row = self.sql.one("SELECT order_id, kind, status, sent_at, cancelled_at FROM gifts WHERE order_id = ?",
                           (order_id,))
        if row is None:
            return None
        fields = dict(row)
        fields["status"] = GiftStatus(fields["status"])
        return Gift(**fields)

    def add(self, gift: Gift) -> None:
        self.sql.run(_INSERT, gift.__dict__)

    def save(self, gift: Gift) -> None:
        self.sql.run("UPDATE gifts SET status = :status, cancelled_at = :cancelled_at WHERE order_id = :order_id",
                     gift.__dict__)
