"""The port every screen uses: the ``Shop`` protocol and the plain views it returns.

Two implementations satisfy it: ``services.local.LocalShop`` (in-process bus over SQLite, the
offline default) and ``services.remote.RemoteShop`` (HTTP to the gateway). Screens receive a ``Shop``
in their constructor and never know which one they have.

Threading contract: every method may block on I/O and may be called from any thread; screens call
them off the GUI thread. ``subscribe`` callbacks run on a background thread, in event order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from collections.abc import Collection
from typing import Callable, Protocol, Sequence, runtime_checkable

from services.commands import OrderLine, PlaceOrder
from services.day_report import DayReport, Figure
from services.events import Event, event_from_dict
from services.menu_commands import SaveCategory, SaveMenuItem
from services.paging import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, AsOf, AsOfLatest, Page, T, paging
from services.payment_commands import Tender
from services.pos_views import BillView, BusinessDay, PaymentReceipt, RefundLine, TenderLine
from services.staff_commands import DeactivateStaff, SaveStaff

__all__ = [
    "OrderLine", "PlaceOrder", "Tender", "SaveCategory", "SaveMenuItem", "SaveStaff", "DeactivateStaff",
    "StaffMember", "DayReport", "Figure", "Category",
    "BillView", "PaymentReceipt", "BusinessDay", "TenderLine", "RefundLine", "MenuItem", "OrderReceipt",
    "OrderSummary", "TicketLine", "Ticket",
    "DeliveryCard", "DeliveryBoard", "TimelineEntry", "MypageCard", "EventRecord", "GiftStock", "Shop",
    "Connection", "AlwaysConnected", "AsOf", "AsOfLatest", "Page", "GiftRecord", "DEFAULT_PAGE_SIZE", "MAX_PAGE", "MAX_PAGE_SIZE", "paging",
]

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
class Connection:
    """The link between this terminal and its shop. ``state``: "online" | "offline" (server away;
    orders are kept on this till) | "sending" (back; ``waiting`` orders still going out) | "busy"
    (the server asked us to slow down). ``remote`` is False for a shop with no server to lose.
    ``staff_role``: the role signed in on this link ("counter", "kitchen", "rider", "manager"); "" when
    nobody signs in (the local shop) or not yet known (a till started offline): every screen may open."""
    state: str = "online"
    waiting: int = 0
    remote: bool = False
    staff_role: str = ""


class AlwaysConnected:
    """The connection part of the port for a shop in this process: always online, never changes."""

    def connection(self) -> Connection:
        return Connection()

    def watch_connection(self, callback: Callable[[Connection], None]) -> Callable[[], None]:
        return lambda: None


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
class EventRecord:
    """One event of the live feed. ``position`` increases strictly; resume with ``events_since``.
    ``event`` is the typed event (a dataclass of ``services.events``): screens read it, with
    ``isinstance``. ``data`` is the same event's fields as JSON values, the form the wire carries.
    An event this code does not know (a newer server's) is a bare ``Event`` with its order id."""
    position: int
    name: str
    order_id: int
    at: datetime
    data: dict
    event: Event = field(default=None, compare=False, repr=False)  # type: ignore[assignment]  # set in __post_init__

    def __post_init__(self) -> None:
        if self.event is None:
            object.__setattr__(self, "event", typed_event(self.name, self.order_id, self.data))


def typed_event(name: str, order_id: int, data: dict) -> Event:
    """The typed event named ``name`` from its wire fields; a bare ``Event`` if the name or fields are
    not this version's."""
    try:
        return event_from_dict(name, {**data, "order_id": order_id})
    except (KeyError, TypeError):
        return Event(order_id)


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


@runtime_checkable
class Shop(Protocol):
    # -- commands: raise services.errors.ShopError subclasses with a user-facing message -----------
    def place_order(self, command: PlaceOrder) -> OrderReceipt: ...

    async def place_order_async(self, command: PlaceOrder) -> OrderReceipt:
        """``place_order`` from an event loop (the shop server's busiest route), same answers and errors."""
        ...

    def cancel_order(self, order_id: int, reason: str = "", staff: str = "") -> None: ...   # staff: kept with a refund
    def start_cooking(self, order_id: int) -> None: ...
    def finish_cooking(self, order_id: int) -> None: ...
    def recall_ticket(self, order_id: int) -> None: ...
    def pick_up(self, order_id: int, rider: str = "") -> None: ...
    def deliver(self, order_id: int) -> None: ...
    # The manager's stock actions: ``staff`` (from verify_manager_pin) and ``reason`` are audited where the
    # shop keeps an audit (the shop server: the signed-in manager; the embedded shop: its staff file's log).
    def mark_sold_out(self, item_code: str, *, staff: str = "", reason: str = "") -> None: ...
    def restock(self, item_code: str, quantity: int, *, staff: str = "", reason: str = "") -> None: ...
    def set_gift_stock(self, quantity: int, kind: str | None = None, *, staff: str = "", reason: str = "") -> None: ...

    # -- the point of sale: payment, the day, the menu (a closed day refuses with InvalidTransition) --
    def take_payment(self, order_id: int, tenders: Sequence[Tender], cash_receipt: str = "",
                     staff: str = "", client_ref: str | None = None) -> PaymentReceipt: ...
    # ``client_ref`` (a UUID the till makes per payment, sent again unchanged on a retry): the same ref
    # is taken once and answered the same; the same ref for other tenders is refused (InvalidInput).
    def open_day(self, float_cash: int, staff: str = "") -> BusinessDay: ...
    def close_day(self, counted_cash: int, staff: str = "") -> DayReport: ...   # the Z report, kept
    def verify_manager_pin(self, pin: str) -> str: ...   # the manager's staff id, or PinRefused
    def save_category(self, category: SaveCategory) -> None: ...                # manager
    def save_menu_item(self, item: SaveMenuItem) -> None: ...                   # manager; past orders keep prices
    # The staff list (manager; ``staff`` in the command is the manager from verify_manager_pin, audited
    # with its ``reason``): the embedded shop's staff file, or the server's (the chain's gateway's).
    def staff_members(self) -> list[StaffMember]: ...                           # by staff id; no PINs
    def save_staff(self, command: SaveStaff) -> None: ...        # add/change; a new PIN or role ends their sessions
    def deactivate_staff(self, command: DeactivateStaff) -> None: ...           # their sessions end

    # -- queries ------------------------------------------------------------------------------------
    def menu(self) -> list[MenuItem]: ...
    def gift_stock(self) -> GiftStock: ...
    def kitchen_tickets(self) -> list[Ticket]: ...              # open tickets (queued/cooking), arrival order
    def delivery_board(self) -> DeliveryBoard: ...
    def mypage(self, order_id: int) -> MypageCard: ...          # raises UnknownOrder
    def mypage_by_phone(self, phone: str) -> list[MypageCard]: ...  # newest first
    def todays_orders(self) -> list[OrderSummary]: ...          # newest first
    def bill(self, order_id: int) -> BillView: ...                # raises UnknownOrder
    def unpaid_bills(self) -> list[BillView]: ...                 # every order with money still due, oldest first
    def current_day(self) -> BusinessDay | None: ...
    def days(self) -> list[BusinessDay]: ...                      # newest first
    def x_report(self) -> DayReport: ...                          # the open day so far; InvalidTransition if none
    def z_report(self, day_id: int) -> DayReport: ...             # a closed day's report as it was closed
    def categories(self) -> list[Category]: ...

    # -- paged queries and single items (the gateway's collections: a page's cost is bounded) -------
    # ``page`` from 0, ``size`` 1..MAX_PAGE_SIZE, else InvalidInput; a page past the end is empty.
    # Items raise UnknownOrder when the order has none.
    def orders_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[OrderSummary]: ...  # today's, newest first
    def order_summary(self, order_id: int) -> OrderSummary: ...   # any day
    def tickets_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[Ticket]: ...  # open, arrival order
    def ticket(self, order_id: int) -> Ticket: ...                # whatever its status
    def deliveries_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[DeliveryCard]: ...  # newest first
    def delivery(self, order_id: int) -> DeliveryCard: ...
    def gifts_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[GiftRecord]: ...  # newest order first
    def gift(self, order_id: int) -> GiftRecord: ...
    def mypages_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[MypageCard]: ...  # newest first

    # -- live feed ----------------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[EventRecord], None], names: Collection[str] | None = None
                  ) -> Callable[[], None]:
        """Call ``callback`` for every event committed from now on (only those named, if ``names``);
        returns an unsubscribe function."""
        ...

    def events_since(self, position: int, limit: int = 500) -> list[EventRecord]: ...

    def latest_position(self) -> int:
        """The position of the newest event committed (0 if none): ``events_since`` it is empty."""
        ...

    def as_of(self, query: Callable[[], T]) -> AsOf[T]:
        """Run ``query`` (one of this shop's queries, e.g. ``shop.as_of(shop.kitchen_tickets)``) and say
        which position of the feed its answer is as of."""
        ...

    # -- the link to the shop -----------------------------------------------------------------------
    def connection(self) -> Connection:
        """Now, without I/O (safe on the GUI thread)."""
        ...

    def watch_connection(self, callback: Callable[[Connection], None]) -> Callable[[], None]:
        """``callback(connection)`` on a background thread whenever it may have changed (a remote shop
        notices a lost server by itself within about a second); returns an unsubscribe function."""
        ...

    def describe(self) -> str:
        """Which shop/database is open, for the window title and status bar."""
        ...

    def close(self) -> None: ...
