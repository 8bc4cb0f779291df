"""Gift tables (gifts, gift_stock) on a SQLAlchemy connection."""
from __future__ import annotations

from sqlalchemy import Connection, text

from services.gift.model import DEFAULT_KIND, Gift, GiftStock

_STOCK = text("SELECT kind, quantity FROM gift_stock WHERE id = 1")
_SAVE_STOCK = text("INSERT INTO gift_stock (id, kind, quantity) VALUES (1, :kind, :quantity)"
                   " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, quantity = excluded.quantity")
_GET = text("SELECT order_id, kind, status, sent_at, cancelled_at FROM gifts WHERE order_id = :id")
_INSERT = text("INSERT INTO gifts (order_id, kind, status, sent_at, cancelled_at)"
               " VALUES (:order_id, :kind, :status, :sent_at, :cancelled_at)")
_SAVE = text("UPDATE gifts SET status = :status, cancelled_at = :cancelled_at WHERE order_id = :order_id")


class GiftRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def stock(self) -> GiftStock:
        row = self.conn.execute(_STOCK).first()
        return GiftStock(row.kind, row.quantity) if row else GiftStock(DEFAULT_KIND, 0)

    def save_stock(self, stock: GiftStock) -> None:
        self.conn.execute(_SAVE_STOCK, {"kind": stock.kind, "quantity": stock.quantity})

    def get(self, order_id: int) -> Gift | None:
        row = self.conn.execute(_GET, {"id": order_id}).first()
        return Gift(**row._mapping) if row else None

    def add(self, gift: Gift) -> None:
        self.conn.execute(_INSERT, gift.__dict__)

    def save(self, gift: Gift) -> None:
        self.conn.execute(_SAVE, gift.__dict__)
