"""The Order aggregate. Pure Python: no I/O.

Each transition is a method that raises ``InvalidTransition`` (or ``CancelRefused``) when it is not
allowed and returns the events it causes; the handlers emit what it returns.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.commands import PlaceOrder
from services.errors import CancelRefused, InvalidInput, InvalidTransition, UnknownItem
from services.events import Event, GiftDeferred, GiftSendCancelled, OrderCancelled, Ordered
from services.statuses import CancelledBy, GiftStatus, OrderStatus, OrderType

MAX_SCHEDULE_AHEAD_S = 7 * 24 * 3600
# Kept for code that names them: the members of OrderStatus.
PLACED, COOKED, CANCELLED = OrderStatus.PLACED, OrderStatus.COOKED, OrderStatus.CANCELLED


@dataclass(frozen=True)
class MenuEntry:
    code: str
    name_ko: str
    name_en: str
    price: int
    available: bool = True


@dataclass
class Order:
    customer_name: str
    phone: str
    address: str
    lines: list[dict[str, Any]]     # {"item_code", "name_ko", "name_en", "quantity", "note", "unit_price"}
    total: int
    placed_at: float
    scheduled_for: float | None = None
    client_ref: str | None = None
    id: int | None = None
    status: OrderStatus = OrderStatus.PLACED
    reason: str = ""
    gift_status: GiftStatus | str = ""      # "" until the gift side has answered
    gift_kind: str = ""
    gift_attempts: int = 0
    order_type: OrderType = OrderType.DELIVERY
    table: int | None = None
    guests: int = 0

    @classmethod
    def place(cls, command: PlaceOrder, menu: dict[str, MenuEntry], now: float) -> Order:
        """A new order, priced from ``menu``; it has no number until ``numbered`` (the repository's)."""
        unknown = sorted({line.item_code for line in command.lines} - menu.keys())
        if unknown:
            raise UnknownItem(f"Unknown menu item: {', '.join(unknown)}")
        unavailable = sorted(menu[code].name_en for code in {line.item_code for line in command.lines}
                             if not menu[code].available)
        if unavailable:
            raise InvalidInput(f"Not on the menu today: {', '.join(unavailable)}")
        scheduled_for = command.scheduled_for.timestamp() if command.scheduled_for else None
        if scheduled_for is not None:
            if scheduled_for <= now:
                raise InvalidInput("Scheduled time is in the past: pick a later time or order now")
            if scheduled_for - now > MAX_SCHEDULE_AHEAD_S:
                raise InvalidInput("Scheduled time is more than 7 days ahead")
        lines: list[dict[str, Any]] = [
            {"item_code": line.item_code, "name_ko": menu[line.item_code].name_ko,
             "name_en": menu[line.item_code].name_en, "quantity": line.quantity,
             "note": line.note, "unit_price": menu[line.item_code].price}
            for line in command.lines
        ]
        total = sum(line["quantity"] * line["unit_price"] for line in lines)
        return cls(customer_name=command.customer_name.strip(), phone=command.phone,
                   address=command.address.strip(), lines=lines, total=total, placed_at=now,
                   scheduled_for=scheduled_for, client_ref=command.client_ref, order_type=command.kind,
                   table=command.table, guests=command.guests)

    @property
    def number(self) -> int:
        if self.id is None:
            raise InvalidTransition("The order has no number yet")
        return self.id

    def numbered(self, order_id: int) -> list[Event]:
        """The order is stored under ``order_id``: it is placed (``Ordered``)."""
        if self.id is not None:
            raise InvalidTransition(f"Order {self.id} already has its number")
        self.id = order_id
        return [Ordered(order_id=order_id, customer_name=self.customer_name, phone=self.phone,
                        address=self.address, lines=tuple(self.lines), total=self.total,
                        placed_at=self.placed_at, scheduled_for=self.scheduled_for,
                        order_type=self.order_type, table=self.table, guests=self.guests)]

    def cancel(self, reason: str, by: CancelledBy, staff: str = "") -> list[Event]:
        """Until its food is cooked; then the cancel is refused."""
        if self.status == OrderStatus.CANCELLED:
            raise InvalidTransition(f"Order {self.id} is already cancelled")
        if self.status == OrderStatus.COOKED:
            raise CancelRefused(f"Order {self.id} is already cooked and can no longer be cancelled")
        self.status, self.reason = OrderStatus.CANCELLED, reason
        return [OrderCancelled(order_id=self.number, reason=reason, by=by, staff=staff)]

    def mark_cooked(self) -> list[Event]:
        """The kitchen cooked it: no cancel from now on, unless the kitchen recalls it. Emits nothing of its own."""
        if self.status != OrderStatus.PLACED:
            raise InvalidTransition(f"Order {self.id} is {self.status}: it cannot be cooked")
        self.status = OrderStatus.COOKED
        return []

    def reopen(self) -> list[Event]:
        """The kitchen recalled the cooked food: it is cooking again, so it may be cancelled again."""
        if self.status != OrderStatus.COOKED:
            raise InvalidTransition(f"Order {self.id} is {self.status}: it cannot be reopened")
        self.status = OrderStatus.PLACED
        return []

    def record_gift(self, status: GiftStatus | str, kind: str = "") -> list[Event]:
        """What the gift side answered to the synchronous call (its own events say the rest)."""
        self.gift_status = status if isinstance(status, GiftStatus) else GiftStatus(status)
        self.gift_kind = kind
        return []

    def defer_gift(self, error: str) -> list[Event]:
        """The gift call failed: the order stands and the gift is tried again later."""
        self.gift_status = GiftStatus.DEFERRED
        self.gift_attempts += 1
        return [GiftDeferred(order_id=self.number, error=error, attempts=self.gift_attempts)]

    def give_up_gift(self) -> list[Event]:
        """A cancelled order's deferred gift: it never will be sent (mypage hears so)."""
        if self.gift_status != GiftStatus.DEFERRED:
            raise InvalidTransition(f"Order {self.id} has no deferred gift")
        self.gift_status = GiftStatus.CANCELLED
        return [GiftSendCancelled(order_id=self.number, gift_kind="")]
