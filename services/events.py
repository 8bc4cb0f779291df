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


@dataclass(frozen=True)
class OrderCancelled(Event):       # 주문취소됨
    reason: str
    by: str                        # "customer" | "kitchen" (out of stock)


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


EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls for cls in Event.__subclasses__()
}


def event_from_dict(name: str, data: dict) -> Event:
    cls = EVENT_TYPES[name]
    if "lines" in data:
        data = {**data, "lines": tuple(data["lines"])}
    if "missing" in data:
        data = {**data, "missing": tuple(data["missing"])}
    return cls(**data)
