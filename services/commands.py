"""Commands: what a user asks the shop to do (imperative names). Pure data, validated on creation."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from services.errors import InvalidInput
from services.statuses import OrderType

MAX_QUANTITY_PER_LINE = 99
MAX_LINES_PER_ORDER = 50
MAX_NOTE_LENGTH = 200
MAX_NAME_LENGTH = 80
MAX_ADDRESS_LENGTH = 200
MAX_REASON_LENGTH = 200
MAX_KIND_LENGTH = 40
MAX_TABLE = 999
MAX_GUESTS = 99
MAX_ORDER_ID = 2**53          # what JSON numbers carry exactly, and far below SQLite's 2**63
MAX_CLIENT_REF_LENGTH = 64   # a UUID (32 hex digits, or 36 with dashes) with room to spare
_PHONE_DIGITS = re.compile(r"^0\d{8,10}$")


def storable(value: str, field: str) -> str:
    """``value`` if it can be stored as UTF-8; a lone surrogate (half of a character, e.g. from a
    broken paste or a crafted request) cannot, and would fail deep in SQLite or the JSON encoder."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"{field} contains an invalid character (a lone surrogate at position {exc.start}): "
                           "retype it") from None
    return value


def text(value, field: str, max_length: int) -> str:
    """``value`` as a stripped string of at most ``max_length`` characters, or InvalidInput naming ``field``."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text, got {type(value).__name__}")
    if len(value) > max_length:
        raise InvalidInput(f"{field} is longer than {max_length} characters")
    return storable(value, field).strip()


def client_ref(value: str | None) -> str | None:
    """A client-made id that makes a command idempotent (None: none given), else InvalidInput."""
    if value is not None and (not isinstance(value, str) or not 1 <= len(value) <= MAX_CLIENT_REF_LENGTH):
        raise InvalidInput(f"client_ref must be text of 1-{MAX_CLIENT_REF_LENGTH} characters")
    return value if value is None else storable(value, "client_ref")


def order_id(value) -> int:
    """``value`` if it is an order number (a whole number 1..2**53; not "5", not True), else InvalidInput."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ORDER_ID:
        raise InvalidInput(f"Order number must be a whole number from 1 to {MAX_ORDER_ID}, got {value!r:.40}")
    return value


def position(value, field: str = "Event position") -> int:
    """An event position or count: a whole number 0..2**53, else InvalidInput naming ``field``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ORDER_ID:
        raise InvalidInput(f"{field} must be a whole number from 0 to {MAX_ORDER_ID}, got {value!r:.40}")
    return value


def normalize_phone(phone: str) -> str:
    """Return a Korean phone number as ``010-1234-5678`` or raise InvalidInput naming the problem."""
    if not isinstance(phone, str):
        raise InvalidInput(f"Phone number must be text, got {type(phone).__name__}")
    digits = re.sub(r"[\s\-.()]", "", phone)
    if not _PHONE_DIGITS.match(digits):
        raise InvalidInput(f"Malformed phone number {phone!r}: "
                           "expected 9-11 digits starting with 0, e.g. 010-1234-5678")
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
        text(self.item_code, "Item code", MAX_NAME_LENGTH)
        object.__setattr__(self, "note", text(self.note, f"Note for {self.item_code}", MAX_NOTE_LENGTH))
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise InvalidInput(f"Quantity of {self.item_code} must be a whole number, got {self.quantity!r}")
        if self.quantity <= 0:
            raise InvalidInput(f"Quantity of {self.item_code} must be at least 1, got {self.quantity}")
        if self.quantity > MAX_QUANTITY_PER_LINE:
            raise InvalidInput(
                f"Quantity of {self.item_code} is {self.quantity}: at most {MAX_QUANTITY_PER_LINE} per line")


@dataclass(frozen=True)
class PlaceOrder:
    """Place an order. ``client_ref`` makes the command idempotent: the same ref places one order.

    ``order_type``: dine-in needs a ``table`` (``guests`` optional), a delivery an ``address``. Not
    given (``None``), the order is a delivery as every order was before types, address optional, so
    clients that predate types are served as they were."""
    lines: tuple[OrderLine, ...]
    customer_name: str = ""
    phone: str = ""
    address: str = ""
    scheduled_for: datetime | None = None
    client_ref: str | None = None
    order_type: OrderType | str | None = None
    table: int | None = None
    guests: int = 0

    def __post_init__(self) -> None:
        lines = tuple(self.lines or ())
        object.__setattr__(self, "lines", lines)
        if not lines:
            raise InvalidInput("The order is empty: add at least one item")
        if len(lines) > MAX_LINES_PER_ORDER:
            raise InvalidInput(f"The order has {len(lines)} lines: at most {MAX_LINES_PER_ORDER}")
        if not all(isinstance(line, OrderLine) for line in lines):
            raise InvalidInput("Order lines must be OrderLine(item_code, quantity, note)")
        object.__setattr__(self, "customer_name", text(self.customer_name, "Customer name", MAX_NAME_LENGTH))
        object.__setattr__(self, "address", text(self.address, "Address", MAX_ADDRESS_LENGTH))
        object.__setattr__(self, "phone", normalize_phone(self.phone) if self.phone else "")
        if self.scheduled_for is not None:
            if not isinstance(self.scheduled_for, datetime):
                raise InvalidInput(f"Scheduled time must be a date and time, got {self.scheduled_for!r}")
            if self.scheduled_for.tzinfo is None:
                raise InvalidInput("Scheduled time must include a time zone")
        client_ref(self.client_ref)
        self._check_type()

    def _check_type(self) -> None:
        if self.order_type is None:
            if self.table is not None or self.guests:
                raise InvalidInput("A table and guests are for dine-in orders: say order type dine_in")
            return
        try:
            kind = OrderType(self.order_type)
        except ValueError:
            raise InvalidInput(f"Order type must be one of {', '.join(OrderType)}, "
                               f"got {self.order_type!r:.40}") from None
        object.__setattr__(self, "order_type", kind)
        if kind == OrderType.DINE_IN:
            if isinstance(self.table, bool) or not isinstance(self.table, int) or not 1 <= self.table <= MAX_TABLE:
                raise InvalidInput(f"A dine-in order needs its table number (1-{MAX_TABLE}), got {self.table!r:.40}")
            if isinstance(self.guests, bool) or not isinstance(self.guests, int) or not 0 <= self.guests <= MAX_GUESTS:
                raise InvalidInput(f"Guests must be a whole number from 0 to {MAX_GUESTS}, got {self.guests!r:.40}")
        elif self.table is not None or self.guests:
            raise InvalidInput(f"A {kind.replace('_', ' ')} order has no table or guests")
        if kind == OrderType.DELIVERY and not self.address:
            raise InvalidInput("A delivery order needs the address to deliver to")

    @property
    def kind(self) -> OrderType:
        """The order's type (``DELIVERY`` when the command did not say)."""
        return OrderType(self.order_type) if self.order_type is not None else OrderType.DELIVERY


@dataclass(frozen=True)
class _ForOrder:
    """A command about one order: the order number is checked on creation."""
    order_id: int

    def __post_init__(self) -> None:
        order_id(self.order_id)


@dataclass(frozen=True)
class CancelOrder(_ForOrder):
    """``staff``: who cancels (kept with the refund of a paid order, with ``reason``)."""
    reason: str = ""
    staff: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "reason", text(self.reason, "Cancel reason", MAX_REASON_LENGTH))
        object.__setattr__(self, "staff", text(self.staff, "Staff", MAX_NAME_LENGTH))


@dataclass(frozen=True)
class StartCooking(_ForOrder):
    pass


@dataclass(frozen=True)
class FinishCooking(_ForOrder):
    pass


@dataclass(frozen=True)
class RecallTicket(_ForOrder):
    """Undo a bump: a ticket finished by mistake goes back on the display (only before pickup)."""


@dataclass(frozen=True)
class ReleaseScheduledTicket(_ForOrder):
    pass


@dataclass(frozen=True)
class ReleaseDueTickets:
    """Housekeeping: release every scheduled ticket whose time has come (covers a missed job)."""


@dataclass(frozen=True)
class FlagLateTickets:
    threshold_s: float


@dataclass(frozen=True)
class PickUp(_ForOrder):
    rider: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "rider", text(self.rider, "Rider name", MAX_NAME_LENGTH))


@dataclass(frozen=True)
class Deliver(_ForOrder):
    pass


@dataclass(frozen=True)
class MarkSoldOut:
    item_code: str

    def __post_init__(self) -> None:
        text(self.item_code, "Item code", MAX_NAME_LENGTH)


@dataclass(frozen=True)
class Restock:
    item_code: str
    quantity: int

    def __post_init__(self) -> None:
        text(self.item_code, "Item code", MAX_NAME_LENGTH)
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or not 0 < self.quantity <= 10_000:
            raise InvalidInput(f"Restock quantity must be 1-10000, got {self.quantity!r}")


@dataclass(frozen=True)
class SetGiftStock:
    quantity: int
    kind: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or not 0 <= self.quantity <= 100_000:
            raise InvalidInput(f"Gift stock must be 0-100000, got {self.quantity!r}")
        if self.kind is not None and not text(self.kind, "Gift kind", MAX_KIND_LENGTH):
            raise InvalidInput("Gift kind must not be blank")


@dataclass(frozen=True)
class SendGift:
    """The order -> gift call (synchronous in the seed): issue a free gift while stock lasts."""
    order_id: int


@dataclass(frozen=True)
class RetryDeferredGifts:
    pass


Command = (PlaceOrder | CancelOrder | StartCooking | FinishCooking | RecallTicket | ReleaseScheduledTicket
           | ReleaseDueTickets | FlagLateTickets | PickUp | Deliver | MarkSoldOut | Restock | SetGiftStock
           | SendGift | RetryDeferredGifts)
