"""Wire models of the point of sale (payments, business days, X/Z reports, the manager's menu and
staff PINs), in the seed's camelCase. Bodies forbid unknown fields; who did it comes from the token."""
from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field
from pydantic.alias_generators import to_camel
from pydantic.config import JsonDict

from services import commands as C
from services.http.schemas import NOT_BLANK, PHONE_PATTERN, Body, Int, Wire
from services.menu_commands import MAX_PRICE, MAX_PRINTER_LENGTH
from services.payment_commands import MAX_AMOUNT, MAX_GUEST_LENGTH, MAX_TENDERS
from services.statuses import TenderKind

CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"


# A card is recorded with its approval number and last four digits, and pays its amount exactly;
# cash has neither. (That cash tendered covers its amount the schema cannot say: 409 payment_refused.)
_TENDER_RULES: JsonDict = {"if": {"properties": {"kind": {"const": "card"}}, "required": ["kind"]},
                 "then": {"required": ["approval", "last4"], "properties": {
                     "approval": {"type": "string", "pattern": "^[0-9A-Za-z]{4,20}$"},
                     "last4": {"type": "string", "pattern": "^[0-9]{4}$"}, "tendered": {"const": 0}}},
                 "else": {"properties": {"approval": {"const": ""}, "last4": {"const": ""}}}}
# 현금영수증: empty, a phone number (as PHONE_PATTERN) or a 10-digit business number not starting with 0.
CASH_RECEIPT_PATTERN = PHONE_PATTERN + r"|^[\s\-.]*[1-9]([\s\-.]*\d){9}[\s\-.]*$"


class TenderIn(Body):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid",
                              json_schema_extra=_TENDER_RULES)
    kind: TenderKind
    amount: Int = Field(ge=1, le=MAX_AMOUNT, description="Won this tender pays")
    tendered: Int = Field(default=0, ge=0, le=MAX_AMOUNT, description="Cash handed over (0: exactly the amount)")
    approval: str = Field(default="", max_length=20, description="Card approval number (cards only)")
    last4: str = Field(default="", max_length=4, description="Card's last four digits (cards only)")
    guest: str = Field(default="", max_length=MAX_GUEST_LENGTH)


class PaymentIn(Body):
    order_id: Int = Field(ge=1, le=2**53)
    tenders: list[TenderIn] = Field(min_length=1, max_length=MAX_TENDERS)
    cash_receipt: str = Field(default="", max_length=20, pattern=CASH_RECEIPT_PATTERN,
                              description="현금영수증: phone or business number")
    client_ref: str | None = Field(default=None, min_length=1, max_length=C.MAX_CLIENT_REF_LENGTH,
                                   description="The till's id for this payment (a UUID), sent again unchanged on a "
                                               "retry: the same clientRef is taken once and answered the same")


class PaymentReceiptOut(Wire):
    order_id: int
    amount: int
    change: int
    balance: int
    status: str


class TenderLineOut(Wire):
    kind: str
    amount: int
    tendered: int
    change: int
    approval: str = ""
    last4: str = ""
    guest: str = ""
    staff: str = ""
    at: datetime | None = None


class RefundLineOut(Wire):
    kind: str
    amount: int
    staff: str
    reason: str
    at: datetime | None = None
    approval: str = ""
    last4: str = ""


class BillOut(Wire):
    order_id: int
    order_type: str
    table: int | None
    guests: int
    total: int
    paid: int
    balance: int
    status: str
    tenders: list[TenderLineOut] = []
    refunds: list[RefundLineOut] = []
    cash_receipt: str = ""
    day_id: int | None = None


class OpenDayIn(Body):
    float_cash: Int = Field(ge=0, le=MAX_AMOUNT, description="Cash in the drawer at opening (개점)")


class CloseDayIn(Body):
    counted_cash: Int = Field(ge=0, le=MAX_AMOUNT, description="Cash counted in the drawer at closing (마감)")


class BusinessDayOut(Wire):
    day_id: int
    status: str
    opened_at: datetime
    opened_by: str
    float_cash: int
    closed_at: datetime | None = None
    closed_by: str = ""
    counted_cash: int | None = None


class FigureOut(Wire):
    key: str
    label: str
    count: int
    amount: int


class CancellationOut(Wire):
    order_id: int
    amount: int
    staff: str
    reason: str
    at: datetime


class RefundOut(Wire):
    order_id: int
    kind: str
    amount: int
    staff: str
    reason: str
    at: datetime


class DayReportOut(Wire):
    kind: str
    day_id: int
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    closed_by: str
    printed_at: datetime
    orders: int
    gross_sales: int
    discounts: int
    net_sales: int
    supply: int
    vat: int
    by_tender: list[FigureOut]
    refunds_by_tender: list[FigureOut]
    by_item: list[FigureOut]
    by_hour: list[FigureOut]
    by_order_type: list[FigureOut]
    cancellations: list[CancellationOut]
    refunds: list[RefundOut]
    gifts: list[FigureOut]
    unpaid: list[FigureOut]
    float_cash: int
    cash_sales: int
    cash_refunds: int
    expected_cash: int
    counted_cash: int | None = None
    over_short: int | None = None


class CategoryIn(Body):
    name_ko: str = Field(min_length=1, max_length=C.MAX_NAME_LENGTH, pattern=NOT_BLANK)
    name_en: str = Field(min_length=1, max_length=C.MAX_NAME_LENGTH, pattern=NOT_BLANK)
    sort: int | None = Field(default=None, ge=0, le=10_000)   # Int | None loses its bounds in the schema
    reason: str = Field(default="", max_length=C.MAX_REASON_LENGTH)


class CategoryOut(Wire):
    code: str
    name_ko: str
    name_en: str
    sort: int


class MenuItemIn(Body):
    name_ko: str = Field(min_length=1, max_length=C.MAX_NAME_LENGTH, pattern=NOT_BLANK)
    name_en: str = Field(min_length=1, max_length=C.MAX_NAME_LENGTH, pattern=NOT_BLANK)
    price: Int = Field(ge=1, le=MAX_PRICE, description="Won, VAT included")
    category: str = Field(pattern=CODE_PATTERN, description="The category's code")
    printer: str = Field(default="", max_length=MAX_PRINTER_LENGTH)
    available: bool = True
    initial_stock: Int = Field(default=0, ge=0, le=10_000,
                               description="A new item's stock (ignored for an existing one)")
    reason: str = Field(default="", max_length=C.MAX_REASON_LENGTH)


class StaffIn(Body):
    name: str = Field(min_length=1, max_length=C.MAX_NAME_LENGTH, pattern=NOT_BLANK)
    role: str = Field(pattern=r"^(counter|kitchen|rider|manager)$")
    pin: str | None = Field(default=None, pattern=r"^[0-9]{4,12}$",
                            description="4-12 digits; leave it out to keep the person's PIN (a new person needs one)")
    reason: str = Field(default="", max_length=C.MAX_REASON_LENGTH)
