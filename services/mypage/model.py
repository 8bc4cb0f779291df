"""The mypage projection as a pure function: (row, event) -> row. Idempotent by event position."""
from __future__ import annotations

from services import events as ev
from services.statuses import CookStatus, DeliveryStatus, GiftStatus, OrderStatus, Progress

FIELDS = ("order_id", "customer_name", "phone", "summary", "total", "order_status", "ordered_at",
          "scheduled_for", "cook_status", "cook_at", "delivery_status", "delivery_at", "gift_status",
          "gift_kind", "gift_at", "reason", "last_position")

_COOK_STATUS = {ev.TicketScheduled: CookStatus.SCHEDULED, ev.TicketReleased: CookStatus.QUEUED,
                ev.CookStarted: CookStatus.COOKING, ev.Cooked: CookStatus.COOKED, ev.CookRecalled: CookStatus.COOKING,
                ev.CookCancelled: CookStatus.CANCELLED}
_DELIVERY_STATUS = {ev.DeliveryStarted: DeliveryStatus.WAITING, ev.PickedUp: DeliveryStatus.ON_THE_WAY,
                    ev.Delivered: DeliveryStatus.DELIVERED, ev.DeliveryCancelled: ""}
_GIFT_STATUS = {ev.GiftSent: GiftStatus.SENT, ev.GiftOutOfStock: GiftStatus.OUT_OF_STOCK,
                ev.GiftDeferred: GiftStatus.DEFERRED, ev.GiftSendCancelled: GiftStatus.CANCELLED}
# A gift's final states. Ordering's GiftDeferred says only that its call got no answer; on the chain it
# can reach mypage after the gift service's own GiftSent (the call timed out after the gift was issued,
# and the gift's relay published it when its hold ran out), and must not undo what was decided.
_GIFT_FINAL = (GiftStatus.SENT, GiftStatus.OUT_OF_STOCK, GiftStatus.CANCELLED)


def summary_of(lines) -> str:
    return ", ".join(f"{line['name_ko']} x{line['quantity']}" for line in lines)


def new_row(event: ev.Ordered) -> dict:
    return {"order_id": event.order_id, "customer_name": event.customer_name, "phone": event.phone,
            "summary": summary_of(event.lines), "total": event.total, "order_status": OrderStatus.PLACED,
            "ordered_at": event.placed_at, "scheduled_for": event.scheduled_for, "cook_status": "",
            "cook_at": None, "delivery_status": "", "delivery_at": None, "gift_status": "", "gift_kind": "",
            "gift_at": None, "reason": "", "last_position": 0}


def apply(row: dict | None, position: int, at: float, event: ev.Event) -> dict | None:
    """Return the row after ``event``; an event already applied (by position) changes nothing."""
    if isinstance(event, ev.Ordered):
        row = row or new_row(event)
    if row is None or position <= row["last_position"]:
        return row
    row = {**row, "last_position": position}
    kind = type(event)
    if isinstance(event, ev.OrderCancelled):
        row.update(order_status=OrderStatus.CANCELLED, reason=event.reason)
    elif isinstance(event, ev.StockChecked):
        row.update(cook_status=CookStatus.QUEUED if event.in_stock else CookStatus.OUT_OF_STOCK, cook_at=at)
    elif kind in _COOK_STATUS:
        row.update(cook_status=_COOK_STATUS[kind], cook_at=at)
    elif kind in _DELIVERY_STATUS:
        row.update(delivery_status=_DELIVERY_STATUS[kind], delivery_at=at)
    elif kind is ev.GiftDeferred and row["gift_status"] in _GIFT_FINAL:
        pass   # ordering's call timed out after the gift service had decided: its answer stands
    elif kind in _GIFT_STATUS:
        row.update(gift_status=_GIFT_STATUS[kind], gift_at=at)
        if isinstance(event, ev.GiftSent):
            row["gift_kind"] = event.gift_kind
    return row


def overall_status(row) -> Progress:
    """One word for lists: where the order is now."""
    if row["order_status"] == OrderStatus.CANCELLED:
        return Progress.CANCELLED
    delivery = row["delivery_status"]
    if delivery == DeliveryStatus.DELIVERED:
        return Progress.DELIVERED
    if delivery == DeliveryStatus.ON_THE_WAY:
        return Progress.DELIVERING
    if delivery == DeliveryStatus.WAITING or row["cook_status"] == CookStatus.COOKED:
        return Progress.COOKED
    if row["cook_status"] in (CookStatus.COOKING, CookStatus.SCHEDULED):
        return Progress(row["cook_status"])
    return Progress.PLACED
