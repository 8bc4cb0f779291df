"""Commands: what a user asks the shop to do (imperative names). Pure data, validated on creation."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from services.errors import InvalidInput

MAX_QUANTITY_PER_LINE = 99
MAX_LINES_PER_ORDER = 50
MAX_NOTE_LENGTH = 200
MAX_NAME_LENGTH = 80
MAX_ADDRESS_LENGTH = 200
_PHONE_DIGITS = re.compile(r"^0\d{8,10}$")


def normalize_phone(phone: str) -> str:
    """Return a Korean phone number as ``010-1234-5678`` or raise InvalidInput naming the problem."""
    digits = re.sub(r"[\s\-.()]", "", phone or "")
    if not _PHONE_DIGITS.match(digits):
        raise InvalidInput(f"Malformed phone number {phone!r}: expected 9-11 digits starting with 0, e.g. 010-1234-5678")
    if len(digits) == 11:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if digits.startswith("02"):
        return f"02-{digits[2:-4]}-{digits[-4:]}"
    return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"


@dataclass(frozen=True)
class OrderLine:
    item_code: str
    quantity: int
    note: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.item_code, str) or not self.item_code.strip():
            raise InvalidInput("Order line has no item code")
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise InvalidInput(f"Quantity of {self.item_code} must be a whole number, got {self.quantity!r}")
        if self.quantity <= 0:
            raise InvalidInput(f"Quantity of {self.item_code} must be at least 1, got {self.quantity}")
        if self.quantity > MAX_QUANTITY_PER_LINE:
            raise InvalidInput(
                f"Quantity of {self.item_code} is {self.quantity}: at most {MAX_QUANTITY_PER_LINE} per line")
        if len(self.note or "") > MAX_NOTE_LENGTH:
            raise InvalidInput(f"Note for {self.item_code} is longer than {MAX_NOTE_LENGTH} characters")


@dataclass(frozen=True)
class PlaceOrder:
    """Place an order. ``client_ref`` makes the command idempotent: the same ref places one order."""
    lines: tuple[OrderLine, ...]
    customer_name: str = ""
    phone: str = ""
    address: str = ""
    scheduled_for: datetime | None = None
    client_ref: str | None = None

    def __post_init__(self) -> None:
        lines = tuple(self.lines or ())
        object.__setattr__(self, "lines", lines)
        if not lines:
            raise InvalidInput("The order is empty: add at least one item")
        if len(lines) > MAX_LINES_PER_ORDER:
            raise InvalidInput(f"The order has {len(lines)} lines: at most {MAX_LINES_PER_ORDER}")
        if len(self.customer_name or "") > MAX_NAME_LENGTH:
            raise InvalidInput(f"Customer name is longer than {MAX_NAME_LENGTH} characters")
        if len(self.address or "") > MAX_ADDRESS_LENGTH:
            raise InvalidInput(f"Address is longer than {MAX_ADDRESS_LENGTH} characters")
        if self.phone:
            object.__setattr__(self, "phone", normalize_phone(self.phone))
        if self.scheduled_for is not None and self.scheduled_for.tzinfo is None:
            raise InvalidInput("Scheduled time must include a time zone")
        if self.client_ref is not None and not (1 <= len(self.client_ref) <= 64):
            raise InvalidInput("client_ref must be 1-64 characters")


@dataclass(frozen=True)
class CancelOrder:
    order_id: int
    reason: str = ""


@dataclass(frozen=True)
class StartCooking:
    order_id: int


@dataclass(frozen=True)
class FinishCooking:
    order_id: int


@dataclass(frozen=True)
class RecallTicket:
    """Undo a bump: a ticket finished by mistake goes back on the display (only before pickup)."""
    order_id: int


@dataclass(frozen=True)
class ReleaseScheduledTicket:
    order_id: int


@dataclass(frozen=True)
class ReleaseDueTickets:
    """Housekeeping: release every scheduled ticket whose time has come (covers a missed job)."""


@dataclass(frozen=True)
class FlagLateTickets:
    threshold_s: float


@dataclass(frozen=True)
class PickUp:
    order_id: int
    rider: str = ""


@dataclass(frozen=True)
class Deliver:
    order_id: int


@dataclass(frozen=True)
class MarkSoldOut:
    item_code: str


@dataclass(frozen=True)
class Restock:
    item_code: str
    quantity: int

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or not 0 < self.quantity <= 10_000:
            raise InvalidInput(f"Restock quantity must be 1-10000, got {self.quantity!r}")


@dataclass(frozen=True)
class SetGiftStock:
    quantity: int
    kind: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or not 0 <= self.quantity <= 100_000:
            raise InvalidInput(f"Gift stock must be 0-100000, got {self.quantity!r}")
        if self.kind is not None and not self.kind.strip():
            raise InvalidInput("Gift kind must not be blank")


@dataclass(frozen=True)
class SendGift:
    """The order -> gift call (synchronous in the seed): issue a free gift while stock lasts."""
    order_id: int


@dataclass(frozen=True)
class RetryDeferredGifts:
    pass


Command = (PlaceOrder | CancelOrder | StartCooking | FinishCooking | RecallTicket | ReleaseScheduledTicket | ReleaseDueTickets
           | FlagLateTickets | PickUp | Deliver | MarkSoldOut | Restock | SetGiftStock | SendGift
           | RetryDeferredGifts)
