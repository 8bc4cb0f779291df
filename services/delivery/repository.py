"""Delivery table."""
from __future__ import annotations

from services.delivery.context import DeliveryRepo
from services.delivery.model import Delivery
from services.infra.sql import Sql
from services.statuses import DeliveryStatus

_COLUMNS = "order_id, customer_name, phone, address, status, rider, started_at, picked_up_at, delivered_at"
_INSERT = (f"INSERT OR IGNORE INTO deliveries ({_COLUMNS})"
           " VALUES (:order_id, :customer_name, :phone, :address, :status,"
           " :rider, :started_at, :picked_up_at, :delivered_at)")
_SAVE = ("UPDATE deliveries SET status=:status, rider=:rider, started_at=:started_at, picked_up_at=:picked_up_at,"
         " delivered_at=:delivered_at WHERE order_id=:order_id")


class DeliveryRepository(DeliveryRepo):
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def get(self, order_id: int) -> Delivery | None:
        row = self.sql.one(f"SELECT {_COLUMNS} FROM deliveries WHERE order_id = ?", (order_id,))
        if row is None:
            return None
        fields = dict(row)
        fields["status"] = DeliveryStatus(fields["status"])
        return Delivery(**fields)

    def add_if_new(self, delivery: Delivery) -> None:
        """Insert ``delivery`` unless its order already has one (a redelivered Ordered)."""
        self.sql.run(_INSERT, delivery.__dict__)

    def save(self, delivery: Delivery) -> None:
        self.sql.run(_SAVE, delivery.__dict__)
