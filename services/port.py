"""The port every screen uses: the ``Shop`` protocol and the plain views it returns.

Two implementations satisfy it: ``services.local.LocalShop`` (in-process bus over SQLite, the
offline default) and ``services.remote.RemoteShop`` (HTTP to the gateway). Screens receive a ``Shop``
in their constructor and never know which one they have.

Threading contract: every method may block on I/O and may be called from any thread; screens call
them off the GUI thread. ``subscribe`` callbacks run on a background thread, in event order.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from services.commands import OrderLine, PlaceOrder
from services.day_report import DayReport, Figure
from services.events import Event, event_from_dict
from services.menu_commands import SaveCategory, SaveMenuItem
from services.paging import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, AsOf, AsOfLatest, Page, T, paging
from services.payment_commands import Tender
from services.pos_views import BillView, BusinessDay, PaymentReceipt, RefundLine, TenderLine
from services.staff_commands import DeactivateStaff, SaveStaff
from services.statuses import ConnectionState
from services.views import (Category, DeliveryBoard, DeliveryCard, GiftRecord, GiftStock, MenuItem, MypageCard,
                            OrderReceipt, OrderSummary, StaffMember, Ticket, TicketLine, TimelineEntry)

__all__ = [
    "OrderLine", "PlaceOrder", "Tender", "SaveCategory", "SaveMenuItem", "SaveStaff", "DeactivateStaff",
    "StaffMember", "DayReport", "Figure", "Category",
    "BillView", "PaymentReceipt", "BusinessDay", "TenderLine", "RefundLine", "MenuItem", "OrderReceipt",
    "OrderSummary", "TicketLine", "Ticket",
    "DeliveryCard", "DeliveryBoard", "TimelineEntry", "MypageCard", "EventRecord", "GiftStock", "Shop",
    "Connection", "ConnectionState", "AlwaysConnected", "AsOf", "AsOfLatest", "Page", "GiftRecord",
    "DEFAULT_PAGE_SIZE", "MAX_PAGE", "MAX_PAGE_SIZE", "paging",
]

@dataclass(frozen=True)
class Connection:
    """The link between this terminal and its shop. ``state``: online, offline (server away; orders
    are kept on this till), sending (back; ``waiting`` orders still going out) or busy (the server
    asked us to slow down). ``remote`` is False for a shop with no server to lose.
    ``staff_role``: the role signed in on this link ("counter", "kitchen", "rider", "manager"); "" when
    nobody signs in (the local shop) or not yet known (a till started offline): every screen may open."""
    state: ConnectionState = ConnectionState.ONLINE
    waiting: int = 0
    remote: bool = False
    staff_role: str = ""

    def __post_init__(self) -> None:
        # a state given as its text ("offline") is the member: screens compare with ``is``
        object.__setattr__(self, "state", ConnectionState(self.state))


class AlwaysConnected:
    """The connection part of the port for a shop in this process: always online, never changes."""

    def connection(self) -> Connection:
        return Connection()

    def watch_connection(self, callback: Callable[[Connection], None]) -> Callable[[], None]:
        return lambda: None


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
    # Items raise UnknownOrder when the order has none. Orders are today's, newest first.
    def orders_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[OrderSummary]: ...
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
