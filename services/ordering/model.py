"""The Order aggregate. Pure Python: no I/O."""
from __future__ import annotations

from dataclasses import dataclass, field

from services.commands import PlaceOrder
from services.errors import CancelRefused, InvalidInput, InvalidTransition, UnknownItem
from services.events import OrderCancelled

MAX_SCHEDULE_AHEAD_S = 7 * 24 * 3600
PLACED, COOKED, CANCELLED = "placed", "cooked", "cancelled"


@dataclass(frozen=True)
class MenuEntry:
    code: str
    name_ko: str
    name_en: str
    price: int


@dataclass
class Order:
    customer_name: str
    phone: str
    address: str
    lines: list[dict]
    total: int
    placed_at: float
    scheduled_for: float | None = None
    client_ref: str | None = None
    id: int | None = None
    status: str = PLACED
    reason: str = ""
    gift_status: str = ""
    gift_kind: str = ""
    gift_attempts: int = 0
    events: list = field(default_factory=list, repr=False)

    @classmethod
    def place(cls, command: PlaceOrder, menu: dict[str, MenuEntry], now: float) -> "Order":
        unknown = sorted({line.item_code for line in command.lines} - menu.keys())
        if unknown:
            raise UnknownItem(f"Unknown menu item: {', '.join(unknown)}")
        scheduled_for = command.scheduled_for.timestamp() if command.scheduled_for else None
        if scheduled_for is not None:
            if scheduled_for <= now:
                raise InvalidInput("Scheduled time is in the past: pick a later time or order now")
            if scheduled_for - now > MAX_SCHEDULE_AHEAD_S:
                raise InvalidInput("Scheduled time is more than 7 days ahead")
        lines = [
            {"item_code": line.item_code, "name_ko": menu[line.item_code].name_ko,
             "name_en": menu[line.item_code].name_en, "quantity": line.quantity,
             "note": line.note, "unit_price": menu[line.item_code].price}
            for line in command.lines
        ]
        total = sum(line["quantity"] * line["unit_price"] for line in lines)
        return cls(customer_name=command.customer_name.strip(), phone=command.phone,
                   address=command.address.strip(), lines=lines, total=total, placed_at=now,
                   scheduled_for=scheduled_for, client_ref=command.client_ref)

    def cancel(self, reason: str, by: str) -> None:
        if self.status == CANCELLED:
            raise InvalidTransition(f"Order {self.id} is already cancelled")
        if self.status == COOKED:
            raise CancelRefused(f"Order {self.id} is already cooked and can no longer be cancelled")
        self.status = CANCELLED
        self.reason = reason
        self.events.append(OrderCancelled(order_id=self.id, reason=reason, by=by))

    def mark_cooked(self) -> None:
        if self.status == PLACED:
            self.status = COOKED

    def record_gift(self, status: str, kind: str = "") -> None:
        self.gift_status, self.gift_kind = status, kind

    def defer_gift(self) -> int:
        self.gift_status = "deferred"
        self.gift_attempts += 1
        return self.gift_attempts
