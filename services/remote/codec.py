"""camelCase JSON from the gateway -> the port's views, and commands -> JSON. No I/O here."""
from __future__ import annotations

import re
from datetime import datetime

from services.commands import PlaceOrder
from services.day_report import DayReport
from services.payment_commands import Tender
from services.port import (BillView, BusinessDay, Category, PaymentReceipt, RefundLine, TenderLine, DeliveryBoard, DeliveryCard, EventRecord, GiftStock, MenuItem, MypageCard, OrderReceipt,
                           OrderSummary, Ticket, TicketLine, TimelineEntry)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def place_order_json(command: PlaceOrder) -> dict:
    return {
        "lines": [{"itemCode": l.item_code, "quantity": l.quantity, "note": l.note} for l in command.lines],
        "customerName": command.customer_name, "phone": command.phone, "address": command.address,
        "scheduledFor": command.scheduled_for.isoformat() if command.scheduled_for else None,
        "clientRef": command.client_ref,
        **({"orderType": str(command.order_type), "table": command.table, "guests": command.guests}
           if command.order_type is not None else {}),
    }


def place_order_from_json(body: dict) -> PlaceOrder:
    """Inverse of ``place_order_json``: how the offline queue turns a stored row back into a command."""
    from services.commands import OrderLine
    return PlaceOrder(lines=tuple(OrderLine(l["itemCode"], l["quantity"], l.get("note", "")) for l in body["lines"]),
                      customer_name=body.get("customerName", ""), phone=body.get("phone", ""),
                      address=body.get("address", ""), scheduled_for=_dt(body.get("scheduledFor")),
                      client_ref=body.get("clientRef"), order_type=body.get("orderType"),
                      table=body.get("table"), guests=body.get("guests", 0))


def menu_item(j: dict) -> MenuItem:
    return MenuItem(j["code"], j["nameKo"], j["nameEn"], j["category"], j["price"], j["stock"],
                    available=j.get("available", True), printer=j.get("printer", ""),
                    category_code=j.get("categoryCode", ""))


def receipt(j: dict) -> OrderReceipt:
    return OrderReceipt(j["orderId"], j["status"], j["total"], j.get("giftKind"), j["giftStatus"],
                        j.get("reason", ""), j.get("clientRef"))


def summary(j: dict) -> OrderSummary:
    return OrderSummary(j["orderId"], j["customerName"], j["phone"], j["total"], j["status"],
                        _dt(j["placedAt"]), _dt(j.get("scheduledFor")), j.get("reason", ""),
                        order_type=j.get("orderType", "delivery"), table=j.get("table"),
                        bill_status=j.get("billStatus", ""), balance=j.get("balance", 0))


def ticket(j: dict) -> Ticket:
    lines = tuple(TicketLine(l["itemCode"], l["nameKo"], l["nameEn"], l["quantity"], l.get("note", ""))
                  for l in j["lines"])
    return Ticket(j["orderId"], lines, j["status"], _dt(j["createdAt"]), _dt(j.get("startedAt")),
                  _dt(j.get("cookedAt")), _dt(j.get("cancelledAt")), j.get("late", False),
                  j.get("orderType", "delivery"), j.get("table"))


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


# -- the point of sale ----------------------------------------------------------------------------
def snake(value):
    """camelCase keys -> snake_case, all the way down (the port's field names)."""
    if isinstance(value, dict):
        return {re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower().replace("last_4", "last4"): snake(v)
                for key, v in value.items()}
    if isinstance(value, list):
        return [snake(v) for v in value]
    return value


def _with_times(j: dict, *keys: str) -> dict:
    return {**j, **{key: _dt(j.get(key)) for key in keys if key in j}}


def bill(j: dict) -> BillView:
    fields = snake(j)
    fields["tenders"] = tuple(TenderLine(**_with_times(t, "at")) for t in fields.get("tenders", ()))
    fields["refunds"] = tuple(RefundLine(**_with_times(r, "at")) for r in fields.get("refunds", ()))
    return BillView(**fields)


def payment_receipt(j: dict) -> PaymentReceipt:
    return PaymentReceipt(**snake(j))


def business_day(j: dict | None) -> BusinessDay | None:
    return None if j is None else BusinessDay(**_with_times(snake(j), "opened_at", "closed_at"))


def day_report(j: dict) -> DayReport:
    return DayReport.from_dict(snake(j))


def category(j: dict) -> Category:
    return Category(**snake(j))


def tender_json(tender: Tender) -> dict:
    return {"kind": str(tender.kind), "amount": tender.amount, "tendered": tender.tendered,
            "approval": tender.approval, "last4": tender.last4, "guest": tender.guest}
