"""Domain events: facts in the past tense, the published language between contexts.

Every event names the order it belongs to (``order_id``; 0 for shop-wide facts such as a restock),
so the mypage projection, the live feed and the logs can follow one order's saga.
Events are serialised to the outbox as ``(name, json)``; ``EVENT_TYPES`` maps names back.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Event:
    order_id: int
    name: ClassVar[str] = "Event"   # the class's own name, set once per class (read several times per event)

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = cls.__name__

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


# -- ordering ---------------------------------------------------------------
@dataclass(frozen=True)
class Ordered(Event):              # 주문됨
    customer_name: str
    phone: str
    address: str
    lines: tuple[dict, ...]        # {"item_code", "name_ko", "name_en", "quantity", "note", "unit_price"}
    total: int
    placed_at: float
    scheduled_for: float | None = None
    order_type: str = "delivery"   # OrderType; events written before order types read as deliveries
    table: int | None = None       # dine-in: the table number
    guests: int = 0                # dine-in: how many at the table (0: not said)


@dataclass(frozen=True)
class OrderCancelled(Event):       # 주문취소됨
    reason: str
    by: str                        # "customer" | "kitchen" (out of stock)
    staff: str = ""                # who cancelled it at the counter (staff id or name), when known


# -- kitchen ----------------------------------------------------------------
@dataclass(frozen=True)
class StockChecked(Event):         # 요리재고체크됨
    in_stock: bool
    missing: tuple[str, ...] = ()  # item codes short of stock


@dataclass(frozen=True)
class TicketScheduled(Event):
    release_at: float


@dataclass(frozen=True)
class TicketReleased(Event):
    pass


@dataclass(frozen=True)
class CookStarted(Event):
    pass


@dataclass(frozen=True)
class Cooked(Event):               # 요리완료
    pass


@dataclass(frozen=True)
class CookRecalled(Event):
    pass


@dataclass(frozen=True)
class CookCancelled(Event):
    stock_returned: bool


@dataclass(frozen=True)
class TicketLate(Event):
    age_s: float


@dataclass(frozen=True)
class ItemSoldOut(Event):
    item_code: str


@dataclass(frozen=True)
class Restocked(Event):
    item_code: str
    quantity: int
    on_hand: int


# -- delivery ---------------------------------------------------------------
@dataclass(frozen=True)
class DeliveryStarted(Event):      # 배달
    address: str


@dataclass(frozen=True)
class PickedUp(Event):
    rider: str


@dataclass(frozen=True)
class Delivered(Event):
    pass


@dataclass(frozen=True)
class DeliveryCancelled(Event):
    pass


# -- gift -------------------------------------------------------------------
@dataclass(frozen=True)
class GiftSent(Event):             # 사은품지급됨
    gift_kind: str


@dataclass(frozen=True)
class GiftOutOfStock(Event):
    pass


@dataclass(frozen=True)
class GiftDeferred(Event):
    """The gift side failed or was slow: the order stands, the gift follows on retry."""
    error: str
    attempts: int


@dataclass(frozen=True)
class GiftSendCancelled(Event):    # 사은품지급취소됨
    gift_kind: str


@dataclass(frozen=True)
class GiftStockSet(Event):
    gift_kind: str
    quantity: int


# -- menu (ordering's catalogue, edited by the manager) -------------------------------------
@dataclass(frozen=True)
class MenuCategorySaved(Event):
    code: str
    name_ko: str
    name_en: str
    sort: int
    staff: str = ""


@dataclass(frozen=True)
class MenuItemSaved(Event):
    """An item added or changed. ``initial_stock`` is for the kitchen, and only for a new item."""
    code: str
    name_ko: str
    name_en: str
    price: int
    category: str                  # the category's code
    printer: str
    available: bool
    new: bool
    initial_stock: int = 0
    staff: str = ""


# -- payments ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PaymentTaken(Event):
    """Tenders taken for an order (one payment; a split is several). ``tenders``: one dict per tender,
    ``{"kind", "amount", "tendered", "change", "approval", "last4", "guest"}``; ``balance``: still due."""
    day_id: int
    tenders: tuple[dict, ...]
    amount: int
    balance: int
    cash_receipt: str = ""         # 현금영수증: a phone or business number, when asked for
    staff: str = ""


@dataclass(frozen=True)
class PaymentRefunded(Event):
    """The order was cancelled: what each tender paid goes back (``{"kind", "amount", "approval", "last4"}``)."""
    day_id: int
    refunds: tuple[dict, ...]
    amount: int
    reason: str
    staff: str                     # who cancelled (staff, or "kitchen" when an item ran out)


@dataclass(frozen=True)
class DayOpened(Event):            # 개점
    day_id: int
    float_cash: int
    staff: str = ""


@dataclass(frozen=True)
class DayClosed(Event):            # 마감
    day_id: int
    expected_cash: int
    counted_cash: int
    staff: str = ""


EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls for cls in Event.__subclasses__()
}


def event_from_dict(name: str, data: dict) -> Event:
    cls = EVENT_TYPES[name]
    # JSON has lists where the events hold tuples (lines, missing, tenders, refunds).
    fields: dict = {key: tuple(value) if isinstance(value, list) else value for key, value in data.items()}
    return cls(**fields)
