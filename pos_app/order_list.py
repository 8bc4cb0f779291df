"""Today's orders as a table: number, time, customer, total and a status that says enough to act on
(when a later order is due, why an order was cancelled)."""
from __future__ import annotations

from screens_common.fmt import local_time, won
from screens_common.i18n import reason_text, status_text
from screens_common.rows_model import Column, RowsModel
from services.port import OrderSummary

STATUS_COLOURS = {"cancelled": "#c62828", "delivered": "#2e7d32", "cooking": "#1565c0", "scheduled": "#6a1b9a",
                 "queued": "#ef6c00"}


def order_label(order: OrderSummary) -> str:
    """"#12"; an order taken offline: "T-3" while it waits on the till, "#12 (T-3)" once sent."""
    if order.order_id < 0:
        return order.till_number
    return f"#{order.order_id} ({order.till_number})" if order.till_number else f"#{order.order_id}"


def order_status(order: OrderSummary) -> str:
    on_till = order.order_id < 0 and order.status == "queued"
    text = status_text("on_till" if on_till else order.status)
    if order.scheduled_for is not None and order.status in ("placed", "scheduled"):
        text += f" → {local_time(order.scheduled_for)}"
    if order.reason:
        text += f" ({reason_text(order.reason)})"
    return text


def orders_model(parent=None) -> RowsModel:
    return RowsModel([
        Column("col.order", order_label),
        Column("col.time", lambda o: local_time(o.placed_at)),
        Column("col.customer", lambda o: o.customer_name or o.phone),
        Column("col.total", lambda o: won(o.total), align_right=True),
        Column("col.status", order_status),
    ], key=lambda o: o.order_id, colour=lambda o: STATUS_COLOURS.get(o.status), parent=parent)
