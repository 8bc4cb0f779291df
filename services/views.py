"""The plain views the port's queries return: the menu, orders, tickets, the delivery board, mypage,
gifts and staff (the point of sale's are in ``services.pos_views``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class MenuItem:
    code: str
    name_ko: str
    name_en: str
    category: str          # e.g. "찌개 Stews"
    price: int             # KRW
    stock: int             # units on hand; 0 = sold out
    stock_known: bool = True   # False: a remote till's cached menu while its server is away
    available: bool = True  # the manager's switch: an unavailable item cannot be ordered
    printer: str = ""      # the kitchen printer its lines go to ("": the category's)
    category_code: str = ""

    @property
    def sold_out(self) -> bool:
        return self.stock_known and self.stock <= 0


@dataclass(frozen=True)
class Category:
    code: str
    name_ko: str
    name_en: str
    sort: int


@dataclass(frozen=True)
class StaffMember:
    """One person of the staff list (the manager's): never their PIN. ``active`` False: deactivated (cannot
    sign in); ``locked``: locked out by wrong PINs for now."""
    staff_id: str
    name: str
    role: str                  # counter | kitchen | rider | manager
    active: bool = True
    locked: bool = False


@dataclass(frozen=True)
class OrderReceipt:
    """What the counter tells the customer. ``status`` is final for this call:
    "placed" (accepted; cooking or scheduled), "cancelled" (e.g. out of stock; see ``reason``), or, from a
    remote shop whose server is unreachable, "queued" (kept durably on this till and sent when the
    server is back; ``order_id`` is then a negative number local to the till). From the chain also
    "checking": the order is taken but the kitchen's stock check did not come back within the gateway's
    bounded wait (about 2 s); the live feed brings it (``StockChecked``, then ``OrderCancelled`` if short)."""
    order_id: int
    status: str
    total: int
    gift_kind: str | None      # None: no gift (out of gift stock, or deferred: see gift_status)
    gift_status: str           # "sent" | "out_of_stock" | "deferred" | "cancelled"
    reason: str = ""
    client_ref: str | None = None
    till_number: str = ""      # "queued" only: the number the customer is told, e.g. "T-3" (printed too)


@dataclass(frozen=True)
class OrderSummary:
    order_id: int
    customer_name: str
    phone: str
    total: int
    status: str                # placed | cooking | cooked | delivering | delivered | cancelled
    placed_at: datetime
    scheduled_for: datetime | None = None
    reason: str = ""
    till_number: str = ""      # taken offline on this till ("T-3"); status "queued" until the server has it
    order_type: str = "delivery"   # dine_in | takeout | delivery
    table: int | None = None
    bill_status: str = ""          # open (money still due: unpaid) | paid | cancelled; "" before the bill exists
    balance: int = 0               # won still due


@dataclass(frozen=True)
class TicketLine:
    item_code: str
    name_ko: str
    name_en: str
    quantity: int
    note: str = ""


@dataclass(frozen=True)
class Ticket:
    order_id: int
    lines: tuple[TicketLine, ...]
    status: str                # scheduled | queued | cooking | cooked | cancelled | rejected: out of stock at its
                               # stock check, never cooked (its order is cancelled; kitchen_tickets omits it)
    created_at: datetime       # when it reached the kitchen (release time for scheduled orders)
    started_at: datetime | None = None
    cooked_at: datetime | None = None
    cancelled_at: datetime | None = None
    late: bool = False
    order_type: str = "delivery"   # the card shows it, and a dine-in order's table
    table: int | None = None
    # What the card shows of the order (issue 11 point 12); the defaults keep an implementation that does
    # not know them working: the card then leaves them out.
    placed_at: datetime | None = None        # when the customer ordered
    customer_name: str = ""
    scheduled_for: datetime | None = None    # set for an order placed for later


@dataclass(frozen=True)
class DeliveryCard:
    order_id: int
    customer_name: str
    phone: str
    address: str
    status: str                # waiting | on_the_way | delivered
    rider: str = ""
    started_at: datetime | None = None
    picked_up_at: datetime | None = None
    delivered_at: datetime | None = None


@dataclass(frozen=True)
class DeliveryBoard:
    waiting: tuple[DeliveryCard, ...]
    on_the_way: tuple[DeliveryCard, ...]
    delivered_today: tuple[DeliveryCard, ...]


@dataclass(frozen=True)
class TimelineEntry:
    position: int              # the event's position in the live feed: events_since(position - 1, 1) is it
    event: str                 # event name, e.g. "Ordered", "GiftSent"
    at: datetime
    detail: str = ""


@dataclass(frozen=True)
class MypageCard:
    """One order's whole status at a glance (seed requirement 7)."""
    order_id: int
    customer_name: str
    phone: str
    summary: str               # e.g. "김치찌개 x2, 공기밥 x1"
    total: int
    order_status: str
    ordered_at: datetime | None
    cook_status: str           # "" until known: waiting | scheduled | queued | cooking | cooked | cancelled | out_of_stock
    cook_at: datetime | None
    delivery_status: str       # "" | waiting | on_the_way | delivered | cancelled
    delivery_at: datetime | None
    gift_status: str           # "" | sent | out_of_stock | deferred | cancelled
    gift_kind: str
    gift_at: datetime | None
    reason: str = ""
    timeline: tuple[TimelineEntry, ...] = field(default=())


@dataclass(frozen=True)
class GiftRecord:
    """One order's gift, as issued (``status``: sent | out_of_stock | deferred | cancelled)."""
    order_id: int
    kind: str
    status: str
    sent_at: datetime | None = None
    cancelled_at: datetime | None = None


@dataclass(frozen=True)
class GiftStock:
    kind: str
    quantity: int
