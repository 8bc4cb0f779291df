"""Today's orders as a table of two-line rows, narrow enough for a 1280-pixel till in either language:
number over time, customer over phone, total, and status over what to know about it (when a later
order is due, why it was cancelled). A typed reason longer than a glance is shortened here; the
counter shows it whole under the list for the selected order."""
from __future__ import annotations

from screens_common.fmt import local_time, won
from screens_common.i18n import reason_text, status_text, tr
from screens_common.rows_model import Column, RowsModel
from services.port import OrderSummary

STATUS_COLOURS = {"cancelled": "#c62828", "delivered": "#2e7d32", "cooking": "#1565c0", "scheduled": "#6a1b9a",
                 "queued": "#ef6c00"}


def order_label(order: OrderSummary) -> str:
    """"#12"; an order taken offline: "T-3" while it waits on the till, "#12 (T-3)" once sent; a dine-in
    order with its table: "#12 · T7"."""
    if order.order_id < 0:
        return order.till_number
    label = f"#{order.order_id} ({order.till_number})" if order.till_number else f"#{order.order_id}"
    return f"{label} · {tr('type.short_table', table=order.table)}" if order.table else label


SHORT_REASON = 11     # width units of a typed reason shown in the list: a Latin letter 1, a Hangul syllable 2


def _shortened(text: str) -> str:
    units = 0
    for n, char in enumerate(text):
        units += 2 if ord(char) >= 0x1100 else 1
        if units > SHORT_REASON:
            return text[:n].rstrip() + "…"
    return text


def order_status(order: OrderSummary) -> str:
    """The status word alone ("waiting to send" for an order still on this till)."""
    on_till = order.order_id < 0 and order.status == "queued"
    return status_text("on_till" if on_till else order.status)


def order_note(order: OrderSummary, short: bool = True) -> str:
    """What to know besides the status: when a later order is due, or why it was cancelled."""
    if order.scheduled_for is not None and order.status in ("placed", "scheduled"):
        return f"→ {local_time(order.scheduled_for, with_date=True)}"
    if not order.reason:
        return ""
    if order.reason.startswith("@"):             # a default reason: its own short word in a list
        return reason_text(order.reason, short)
    return _shortened(order.reason) if short else order.reason


def ready_to_call(order: OrderSummary) -> bool:
    """A takeout order is called when ready: once cooked, the counter calls the customer to the pass."""
    return order.order_type == "takeout" and order.status == "cooked"


def _status_cell(order: OrderSummary) -> str:
    note = order_note(order)
    if order.bill_status == "open" and order.balance and order.status != "cancelled":
        note = tr("pay.unpaid", due=won(order.balance))      # an unpaid order says so
    if ready_to_call(order):
        note = " · ".join(n for n in (tr("type.call_ready"), note) if n)
    return f"{order_status(order)}\n{note}" if note else order_status(order)


def orders_model(parent=None) -> RowsModel:
    return RowsModel([
        Column("col.order", lambda o: f"{order_label(o)}\n{local_time(o.placed_at)}"),
        Column("col.customer", lambda o: "\n".join(p for p in (o.customer_name, o.phone) if p)),
        Column("col.total", lambda o: won(o.total), align_right=True),
        Column("col.status", _status_cell),
    ], key=lambda o: o.order_id, colour=_colour, parent=parent)


def _colour(order: OrderSummary) -> str | None:
    if order.bill_status == "open" and order.balance and order.status != "cancelled":
        return UNPAID_COLOUR
    if ready_to_call(order):
        return READY_COLOUR
    return STATUS_COLOURS.get(order.status)


UNPAID_COLOUR = "#ef6c00"
READY_COLOUR = "#00838f"      # a takeout order to call: not the delivered green
