"""Today's orders as a table: number, time, customer, total and a status that says enough to act on
(when a later order is due, why an order was cancelled)."""
from __future__ import annotations

from screens_common.fmt import local_time, won
from screens_common.i18n import status_text
from screens_common.rows_model import Column, RowsModel
from services.port import OrderSummary

STATUS_COLOURS = {"cancelled": "#c62828", "delivered": "#2e7d32", "cooking": "#1565c0", "scheduled": "#6a1b9a"}


def _order_status(order: OrderSummary) -> str:
    text = status_text(order.status)
    if order.scheduled_for is not None and order.status in ("placed", "scheduled"):
        text += f" → {local_time(order.scheduled_for)}"
    if order.reason:
        text += f" ({order.reason})"
    return text


def orders_model(parent=None) -> RowsModel:
    return RowsModel([
        Column("col.order", lambda o: f"#{o.order_id}"),
        Column("col.time", lambda o: local_time(o.placed_at)),
        Column("col.customer", lambda o: o.customer_name or o.phone),
        Column("col.total", lambda o: won(o.total), align_right=True),
        Column("col.status", _order_status),
    ], key=lambda o: o.order_id, colour=lambda o: STATUS_COLOURS.get(o.status), parent=parent)
