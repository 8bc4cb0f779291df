"""Wire models: the port's views and commands in the seed's camelCase JSON (orderId, giftKind, ...).

The same models document the OpenAPI schema and validate request bodies; ``extra="forbid"`` makes a
misspelt field a 422 instead of a silently ignored one. Views are built from the port's dataclasses
with ``from_attributes`` so the REST shape cannot drift from the port without a test noticing.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, BeforeValidator
from pydantic.alias_generators import to_camel
from pydantic.config import JsonDict

from services import commands as C
from services.statuses import OrderType


# At least one visible character. Spelled out because "blank" differs between engines: Python's
# str.strip (the domain's test) also strips the \x1c-\x1f separators, Rust's \s (pydantic) does not.
NOT_BLANK = r"[^\s\x00-\x1f\x7f-\x9f]"

# What normalize_phone accepts, stated in the schema so clients can validate before sending:
# empty, or 9-11 digits starting with 0 with optional spaces, dashes, dots or brackets.
PHONE_PATTERN = r"^$|^[\s\-.()]*0([\s\-.()]*\d){8,10}[\s\-.()]*$"


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a whole number, not true/false")
    return value


# JSON true is not the quantity 1 (pydantic's lax mode would say it is); 3.0 is 3, as JSON Schema says.
Int = Annotated[int, BeforeValidator(_no_bool)]
Pin = Annotated[str, Field(min_length=1, max_length=12)]   # a staff PIN as typed at a till


class Wire(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


class Body(Wire):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# -- errors -----------------------------------------------------------------------------------------
class ErrorOut(BaseModel):
    code: str
    message: str


# -- requests ---------------------------------------------------------------------------------------
class OrderLineIn(Body):
    item_code: str = Field(min_length=1, max_length=C.MAX_NAME_LENGTH, pattern=NOT_BLANK)
    quantity: Int = Field(ge=1, le=C.MAX_QUANTITY_PER_LINE)
    note: str = Field(default="", max_length=C.MAX_NOTE_LENGTH)


# The order type's rules (the command checks them too), stated in the schema so clients can follow them.
_ORDER_TYPE_RULES: JsonDict = {"allOf": [
    {"if": {"properties": {"orderType": {"const": "dine_in"}}, "required": ["orderType"]},
     "then": {"required": ["table"], "properties": {"table": {"type": "integer", "minimum": 1,
                                                               "maximum": C.MAX_TABLE}}},
     "else": {"properties": {"table": {"type": "null"}, "guests": {"const": 0}}}},
    {"if": {"properties": {"orderType": {"const": "delivery"}}, "required": ["orderType"]},
     "then": {"required": ["address"], "properties": {"address": {
         "type": "string", "maxLength": C.MAX_ADDRESS_LENGTH, "pattern": NOT_BLANK}}}},
]}


class PlaceOrderIn(Body):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid",
                              json_schema_extra=_ORDER_TYPE_RULES)
    lines: list[OrderLineIn] = Field(min_length=1, max_length=C.MAX_LINES_PER_ORDER)
    customer_name: str = Field(default="", max_length=C.MAX_NAME_LENGTH)
    phone: str = Field(default="", max_length=20, pattern=PHONE_PATTERN)
    address: str = Field(default="", max_length=C.MAX_ADDRESS_LENGTH)
    scheduled_for: AwareDatetime | None = None
    client_ref: str | None = Field(default=None, min_length=1, max_length=C.MAX_CLIENT_REF_LENGTH)
    order_type: OrderType | None = Field(default=None, description="dine_in (needs table), takeout, or delivery "
                                                                   "(needs address); not given: a delivery")
    table: int | None = Field(default=None, ge=1, le=C.MAX_TABLE)   # Int | None loses its bounds in the schema
    guests: Int = Field(default=0, ge=0, le=C.MAX_GUESTS)


class CancelIn(Body):
    order_id: Int = Field(ge=1, le=2**53)
    reason: str = Field(default="", max_length=C.MAX_REASON_LENGTH)


class ReasonIn(Body):
    reason: str = Field(default="", max_length=C.MAX_REASON_LENGTH)


class RestockIn(Body):
    quantity: Int = Field(ge=1, le=10_000)
    reason: str = Field(default="", max_length=C.MAX_REASON_LENGTH)


class PickUpIn(Body):
    rider: str = Field(default="", max_length=C.MAX_NAME_LENGTH)


class GiftStockIn(Body):
    quantity: Int = Field(ge=0, le=100_000)
    gift_kind: str | None = Field(default=None, min_length=1, max_length=C.MAX_KIND_LENGTH, pattern=NOT_BLANK)
    reason: str = Field(default="", max_length=C.MAX_REASON_LENGTH)


class GiftIn(Body):
    order_id: Int = Field(ge=1, le=2**53)


class SignInIn(Body):
    staff_id: str = Field(min_length=1, max_length=40)
    pin: Pin


class ManagerPinIn(Body):
    pin: Pin


# -- responses --------------------------------------------------------------------------------------
class OkOut(Wire):
    ok: bool = True


class MenuItemOut(Wire):
    code: str
    name_ko: str
    name_en: str
    category: str
    price: int
    stock: int
    sold_out: bool
    available: bool = True
    printer: str = ""
    category_code: str = ""


class OrderReceiptOut(Wire):
    order_id: int
    status: str
    total: int
    gift_kind: str | None
    gift_status: str
    reason: str = ""
    client_ref: str | None = None


class OrderSummaryOut(Wire):
    order_id: int
    customer_name: str
    phone: str
    total: int
    status: str
    placed_at: datetime
    scheduled_for: datetime | None = None
    reason: str = ""
    order_type: str = "delivery"
    table: int | None = None
    bill_status: str = ""
    balance: int = 0


class TicketLineOut(Wire):
    item_code: str
    name_ko: str
    name_en: str
    quantity: int
    note: str = ""


class TicketOut(Wire):
    order_id: int
    lines: list[TicketLineOut]
    status: str
    created_at: datetime
    started_at: datetime | None = None
    cooked_at: datetime | None = None
    cancelled_at: datetime | None = None
    late: bool = False
    order_type: str = "delivery"
    table: int | None = None
    placed_at: datetime | None = None       # what the kitchen card shows of the order
    customer_name: str = ""
    scheduled_for: datetime | None = None


class DeliveryCardOut(Wire):
    order_id: int
    customer_name: str
    phone: str
    address: str
    status: str
    rider: str = ""
    started_at: datetime | None = None
    picked_up_at: datetime | None = None
    delivered_at: datetime | None = None


class DeliveryBoardOut(Wire):
    waiting: list[DeliveryCardOut]
    on_the_way: list[DeliveryCardOut]
    delivered_today: list[DeliveryCardOut]


class TimelineEntryOut(Wire):
    position: int
    event: str
    at: datetime
    detail: str = ""


class MypageOut(Wire):
    order_id: int
    customer_name: str
    phone: str
    summary: str
    total: int
    order_status: str
    ordered_at: datetime | None
    cook_status: str
    cook_at: datetime | None
    delivery_status: str
    delivery_at: datetime | None
    gift_status: str
    gift_kind: str
    gift_at: datetime | None
    reason: str = ""
    timeline: list[TimelineEntryOut] = []


class EventOut(Wire):
    position: int
    name: str
    order_id: int
    at: datetime
    data: dict[str, Any]


class PositionOut(Wire):
    position: int


class GiftOut(Wire):
    order_id: int
    kind: str
    status: str
    sent_at: datetime | None = None
    cancelled_at: datetime | None = None


class GiftStockOut(Wire):
    kind: str
    quantity: int


class SessionOut(Wire):
    token: str
    staff_id: str
    name: str
    role: str
    expires_at: datetime


class StaffOut(Wire):
    staff_id: str
    name: str
    role: str
    failed_attempts: int
    locked: bool
    active: bool = True


class AuditOut(Wire):
    id: int
    at: datetime
    staff_id: str
    role: str
    action: str
    target: str
    reason: str
    outcome: str


class ShopInfoOut(Wire):
    description: str
    version: str
