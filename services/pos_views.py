"""The point of sale's views on the port: bills, tenders, refunds, payments and business days."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TenderLine:
    kind: str                  # cash | card
    amount: int                # what it paid
    tendered: int              # cash handed over (= amount for a card)
    change: int
    approval: str = ""
    last4: str = ""
    guest: str = ""
    staff: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class RefundLine:
    kind: str
    amount: int
    staff: str                 # who cancelled ("kitchen" when an item ran out)
    reason: str
    at: datetime | None = None
    approval: str = ""
    last4: str = ""


@dataclass(frozen=True)
class BillView:
    """An order's bill: what it costs, what was paid with what, and what was refunded."""
    order_id: int
    order_type: str
    table: int | None
    guests: int
    total: int
    paid: int
    balance: int               # still due
    status: str                # open | paid | cancelled
    tenders: tuple[TenderLine, ...] = ()
    refunds: tuple[RefundLine, ...] = ()
    cash_receipt: str = ""
    day_id: int | None = None


@dataclass(frozen=True)
class PaymentReceipt:
    """What the counter shows after a payment: ``change`` (cash back, large on screen), ``balance``."""
    order_id: int
    amount: int
    change: int
    balance: int
    status: str                # paid | open (a part of a split)


@dataclass(frozen=True)
class BusinessDay:
    day_id: int
    status: str                # open | closed
    opened_at: datetime
    opened_by: str
    float_cash: int
    closed_at: datetime | None = None
    closed_by: str = ""
    counted_cash: int | None = None
