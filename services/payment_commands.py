"""Commands of the point of sale: taking payment and opening and closing the day. Pure data,
validated on creation (the same checks and messages in every mode, before any network)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from services.commands import MAX_NAME_LENGTH, client_ref, normalize_phone, order_id, text
from services.errors import InvalidInput, PaymentRefused
from services.statuses import TenderKind

MAX_AMOUNT = 100_000_000         # KRW: far above any bill, far below what JSON and SQLite carry exactly
MAX_TENDERS = 20
MAX_GUEST_LENGTH = 40
_APPROVAL = re.compile(r"^[0-9A-Za-z]{4,20}$")
_LAST4 = re.compile(r"^[0-9]{4}$")
_BUSINESS_NUMBER = re.compile(r"^\d{10}$")


def won(value, field: str, minimum: int = 0) -> int:
    """A whole number of won from ``minimum`` to ``MAX_AMOUNT``, else InvalidInput naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_AMOUNT:
        raise InvalidInput(f"{field} must be a whole number of won from {minimum:,} to {MAX_AMOUNT:,}, "
                           f"got {value!r:.40}")
    return value


def normalize_cash_receipt(number: str) -> str:
    """A 현금영수증 number: a phone number (010-1234-5678) or a business registration number
    (123-45-67890), normalised; else InvalidInput."""
    if not isinstance(number, str):
        raise InvalidInput(f"Cash-receipt number must be text, got {type(number).__name__}")
    digits = re.sub(r"[\s\-.]", "", number)
    if _BUSINESS_NUMBER.match(digits) and not digits.startswith("0"):
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    try:
        return normalize_phone(number)
    except InvalidInput:
        raise InvalidInput(f"Cash-receipt number {number!r:.40} is neither a phone number (010-1234-5678) nor a "
                           "business registration number (123-45-67890)") from None


@dataclass(frozen=True)
class Tender:
    """One way of paying part or all of a bill. ``amount`` is what it pays; for cash, ``tendered`` is
    what the customer handed over (0: exactly the amount) and ``change`` what goes back. A card is
    recorded, not charged: its approval number and last four digits, from the card terminal."""
    kind: TenderKind | str
    amount: int
    tendered: int = 0
    approval: str = ""
    last4: str = ""
    guest: str = ""               # who paid this part, for a split between guests ("Guest 2")

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", TenderKind(self.kind))
        except ValueError:
            raise InvalidInput(f"Tender must be one of {', '.join(TenderKind)}, got {self.kind!r:.40}") from None
        won(self.amount, f"{self.kind.capitalize()} amount", minimum=1)
        won(self.tendered, "Cash tendered")
        object.__setattr__(self, "guest", text(self.guest, "Guest", MAX_GUEST_LENGTH))
        if self.kind == TenderKind.CASH:
            if self.tendered and self.tendered < self.amount:
                raise PaymentRefused(f"Cash tendered ₩{self.tendered:,} is less than the ₩{self.amount:,} it pays")
            if self.approval or self.last4:
                raise InvalidInput("Cash has no approval number or card digits")
        else:
            if self.tendered not in (0, self.amount):
                raise InvalidInput("A card pays its amount exactly: no change")
            if not isinstance(self.approval, str) or not _APPROVAL.match(self.approval):
                raise InvalidInput("Card approval number must be 4-20 letters or digits, as the card terminal shows it")
            if not isinstance(self.last4, str) or not _LAST4.match(self.last4):
                raise InvalidInput("Card last four digits must be exactly 4 digits")

    @property
    def change(self) -> int:
        return self.tendered - self.amount if self.kind == TenderKind.CASH and self.tendered else 0

    def to_dict(self) -> dict:
        return {"kind": str(self.kind), "amount": self.amount, "tendered": self.tendered or self.amount,
                "change": self.change, "approval": self.approval, "last4": self.last4, "guest": self.guest}


@dataclass(frozen=True)
class TakePayment:
    """Pay all or part of an order's bill with one or more tenders (a split across tenders). A split
    between guests is one ``TakePayment`` per guest. Refused when no day is open.

    ``client_ref`` makes it idempotent: a payment sent again with the same ref (a retry after a lost
    answer) is taken once and answered as the first time; the same ref with other tenders is refused."""
    order_id: int
    tenders: tuple[Tender, ...]
    cash_receipt: str = ""        # 현금영수증 requested: phone or business number
    staff: str = ""
    client_ref: str | None = None

    def __post_init__(self) -> None:
        order_id(self.order_id)
        tenders = tuple(self.tenders or ())
        object.__setattr__(self, "tenders", tenders)
        if not tenders:
            raise InvalidInput("A payment needs at least one tender (cash or card)")
        if len(tenders) > MAX_TENDERS:
            raise InvalidInput(f"A payment has at most {MAX_TENDERS} tenders, got {len(tenders)}")
        if not all(isinstance(t, Tender) for t in tenders):
            raise InvalidInput("Tenders must be Tender(kind, amount, ...)")
        if self.cash_receipt:
            object.__setattr__(self, "cash_receipt", normalize_cash_receipt(self.cash_receipt))
        object.__setattr__(self, "staff", text(self.staff, "Staff", MAX_NAME_LENGTH))
        client_ref(self.client_ref)

    @property
    def amount(self) -> int:
        return sum(t.amount for t in self.tenders)

    @property
    def change(self) -> int:
        return sum(t.change for t in self.tenders)


@dataclass(frozen=True)
class OpenDay:
    """개점: start a business day with ``float_cash`` in the drawer."""
    float_cash: int
    staff: str = ""

    def __post_init__(self) -> None:
        won(self.float_cash, "Cash float")
        object.__setattr__(self, "staff", text(self.staff, "Staff", MAX_NAME_LENGTH))


@dataclass(frozen=True)
class CloseDay:
    """마감: close the open day with the cash counted in the drawer; its Z report is kept."""
    counted_cash: int
    staff: str = ""

    def __post_init__(self) -> None:
        won(self.counted_cash, "Counted cash")
        object.__setattr__(self, "staff", text(self.staff, "Staff", MAX_NAME_LENGTH))
