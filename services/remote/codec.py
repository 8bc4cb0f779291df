"""camelCase JSON from the gateway -> the port's views, and commands -> JSON. No I/O here."""
from __future__ import annotations

from datetime import datetime

from services.commands import PlaceOrder
from services.port import (DeliveryBoard, DeliveryCard, EventRecord, GiftRecord, GiftStock, MenuItem, MypageCard, OrderReceipt,
                           OrderSummary, Ticket, TicketLine, TimelineEntry)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def place_order_json(command: PlaceOrder) -> dict:
    return {
        "lines": [{"itemCode": l.item_code, "quantity": l.quantity, "note": l.note} for l in command.lines],
        "customerName": command.customer_name, "phone": command.phone, "address": command.address,
        "scheduledFor": command.scheduled_for.isoformat() if command.scheduled_for else None,
        "clientRef": command.client_ref,
    }


def place_order_from_json(body: dict) -> PlaceOrder:
    """Inverse of ``place_order_json``: how the offline queue turns a stored row back into a command."""
    from services.commands import OrderLine
    return PlaceOrder(lines=tuple(OrderLine(l["itemCode"], l["quantity"], l.get("note", "")) for l in body["lines"]),
                      customer_name=body.get("customerName", ""), phone=body.get("phone", ""),
                      address=body.get("address", ""), scheduled_for=_dt(body.get("scheduledFor")),
                      client_ref=body.get("clientRef"))


def menu_item(j: dict) -> MenuItem:
    return MenuItem(j["code"], j["nameKo"], j["nameEn"], j["category"], j["price"], j["stock"])


def receipt(j: dict) -> OrderReceipt:
    return OrderReceipt(j["orderId"], j["status"], j["total"], j.get("giftKind"), j["giftStatus"],
                        j.get("reason", ""), j.get("clientRef"))


def summary(j: dict) -> OrderSummary:
    return OrderSummary(j["orderId"], j["customerName"], j["phone"], j["total"], j["status"],
                        _dt(j["placedAt"]), _dt(j.get("scheduledFor")), j.get("reason", ""))


def ticket(j: dict) -> Ticket:
    lines = tuple(TicketLine(l["itemCode"], l["nameKo"], l["nameEn"], l["quantity"], l.get("note", ""))
                  for l in j["lines"])
    return Ticket(j["orderId"], lines, j["status"], _dt(j["createdAt"]), _dt(j.get("startedAt")),
                  _dt(j.get("cookedAt")), _dt(j.get("cancelledAt")), j.get("late", False))


def delivery_card(j: dict) -> DeliveryCard:
    return DeliveryCard(j["orderId"], j["customerName"], j["phone"], j["address"], j["status"], j.get("rider", ""),
                        _dt(j.get("startedAt")), _dt(j.get("pickedUpAt")), _dt(j.get("deliveredAt")))


def delivery_board(j: dict) -> DeliveryBoard:
    return DeliveryBoard(tuple(map(delivery_card, j["waiting"])), tuple(map(delivery_card, j["onTheWay"])),
                         tuple(map(delivery_card, j["deliveredToday"])))


def mypage(j: dict) -> MypageCard:
    timeline = tuple(TimelineEntry(t["position"], t["event"], _dt(t["at"]), t.get("detail", ""))
                     for t in j.get("timeline", ()))
    return MypageCard(j["orderId"], j["customerName"], j["phone"], j["summary"], j["total"], j["orderStatus"],
                      _dt(j.get("orderedAt")), j["cookStatus"], _dt(j.get("cookAt")), j["deliveryStatus"],
                      _dt(j.get("deliveryAt")), j["giftStatus"], j["giftKind"], _dt(j.get("giftAt")),
                      j.get("reason", ""), timeline)


def event(j: dict) -> EventRecord:
    return EventRecord(j["position"], j["name"], j["orderId"], _dt(j["at"]), j.get("data") or {})


def gift_stock(j: dict) -> GiftStock:
    return GiftStock(j["kind"], j["quantity"])


def gift(j: dict) -> GiftRecord:
    return GiftRecord(j["orderId"], j["kind"], j["status"], _dt(j.get("sentAt")), _dt(j.get("cancelledAt")))
