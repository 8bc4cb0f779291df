"""camelCase JSON from the gateway -> the port's views, and commands -> JSON. No I/O here.

The views are read through the gateway's own wire models (``services.http.schemas``): the JSON is
validated by the very model that wrote it, and each port dataclass takes its fields by name from
it (nested models become the port's nested views), so a field is spelled once, in the wire model.
A field the port has and the wire does not (``MenuItem.stock_known``, ``OrderSummary.till_number``)
keeps its default; one the wire has and the port does not (``soldOut``) is left out.
"""
from __future__ import annotations

import dataclasses
import functools
import re
import typing
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from services.commands import PlaceOrder
from services.day_report import DayReport
from services.http import schemas as wire
from services.payment_commands import Tender
from services.port import (BillView, BusinessDay, Category, DeliveryBoard, DeliveryCard, EventRecord, GiftRecord,
                           GiftStock, MenuItem, MypageCard, OrderReceipt, OrderSummary, PaymentReceipt, RefundLine,
                           StaffMember, TenderLine, Ticket)

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")   # the port's views: dataclasses


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def place_order_json(command: PlaceOrder) -> dict:
    return {
        "lines": [{"itemCode": line.item_code, "quantity": line.quantity, "note": line.note}
                  for line in command.lines],
        "customerName": command.customer_name, "phone": command.phone, "address": command.address,
        "scheduledFor": command.scheduled_for.isoformat() if command.scheduled_for else None,
        "clientRef": command.client_ref,
        **({"orderType": str(command.order_type), "table": command.table, "guests": command.guests}
           if command.order_type is not None else {}),
    }


def place_order_from_json(body: dict) -> PlaceOrder:
    """Inverse of ``place_order_json``: how the offline queue turns a stored row back into a command."""
    from services.commands import OrderLine
    lines = tuple(OrderLine(line["itemCode"], line["quantity"], line.get("note", "")) for line in body["lines"])
    return PlaceOrder(lines=lines,
                      customer_name=body.get("customerName", ""), phone=body.get("phone", ""),
                      address=body.get("address", ""), scheduled_for=_dt(body.get("scheduledFor")),
                      client_ref=body.get("clientRef"), order_type=body.get("orderType"),
                      table=body.get("table"), guests=body.get("guests", 0))


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _port_value(hint: Any, value: Any) -> Any:
    """``value`` from a wire model as the port's field of type ``hint`` wants it."""
    if isinstance(value, BaseModel):
        return _port(hint, value)
    if isinstance(value, list):                   # tuple[View, ...] on the port
        item = next((arg for arg in typing.get_args(hint) if arg is not Ellipsis), Any)
        return tuple(_port_value(item, v) for v in value)
    return value


def _port(cls: type[T], model: BaseModel) -> T:
    hints = _hints(cls)
    names = type(model).model_fields
    return cls(**{f.name: _port_value(hints[f.name], getattr(model, f.name))
                  for f in dataclasses.fields(cls) if f.init and f.name in names})


def _reader(cls: type[T], model: type[BaseModel]):
    def read(j: dict) -> T:
        return _port(cls, model.model_validate(j))
    read.__doc__ = f"JSON validated as ``{model.__name__}`` -> ``{cls.__name__}``"
    return read


menu_item = _reader(MenuItem, wire.MenuItemOut)
receipt = _reader(OrderReceipt, wire.OrderReceiptOut)
summary = _reader(OrderSummary, wire.OrderSummaryOut)
ticket = _reader(Ticket, wire.TicketOut)
delivery_card = _reader(DeliveryCard, wire.DeliveryCardOut)
delivery_board = _reader(DeliveryBoard, wire.DeliveryBoardOut)
mypage = _reader(MypageCard, wire.MypageOut)
event = _reader(EventRecord, wire.EventOut)
gift_stock = _reader(GiftStock, wire.GiftStockOut)
gift = _reader(GiftRecord, wire.GiftOut)


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


def staff_member(j: dict) -> StaffMember:
    return StaffMember(j["staffId"], j["name"], j["role"], j.get("active", True), j.get("locked", False))


def tender_json(tender: Tender) -> dict:
    return {"kind": str(tender.kind), "amount": tender.amount, "tendered": tender.tendered,
            "approval": tender.approval, "last4": tender.last4, "guest": tender.guest}
