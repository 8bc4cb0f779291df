"""Delivery table on a SQLAlchemy connection."""
from __future__ import annotations

from sqlalchemy import Connection, text

from services.delivery.model import Delivery

_COLUMNS = "order_id, customer_name, phone, address, status, rider, started_at, picked_up_at, delivered_at"
_GET = text(f"SELECT {_COLUMNS} FROM deliveries WHERE order_id = :id")
_INSERT = text(f"INSERT INTO deliveries ({_COLUMNS}) VALUES (:order_id, :customer_name, :phone, :address,"
               " :status, :rider, :started_at, :picked_up_at, :delivered_at)")
_SAVE = text("UPDATE deliveries SET status=:status, rider=:rider, started_at=:started_at,"
             " picked_up_at=:picked_up_at, delivered_at=:delivered_at WHERE order_id=:order_id")


class DeliveryRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, order_id: int) -> Delivery | None:
        row = self.conn.execute(_GET, {"id": order_id}).first()
        return Delivery(**row._mapping) if row else None

    def add(self, delivery: Delivery) -> None:
        self.conn.execute(_INSERT, delivery.__dict__)

    def save(self, delivery: Delivery) -> None:
        self.conn.execute(_SAVE, delivery.__dict__)
