"""What the ordering handlers are given (``handler(message, ctx)``): typed, so a handler names only
what its context provides, and the fakes of the unit tests are held to the same shape."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from services.events import Event
from services.ordering.model import MenuEntry, Order


class OrderingRepo(Protocol):
    def menu_entries(self, codes: set[str]) -> dict[str, MenuEntry]: ...
    def id_for_client_ref(self, ref: str) -> int | None: ...
    def add(self, order: Order) -> int: ...
    def save(self, order: Order) -> None: ...
    def get(self, order_id: int) -> Order | None: ...
    def orders_with_deferred_gift(self) -> list[Order]: ...


class GiftAnswer(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def kind(self) -> str: ...


class GiftService(Protocol):
    """The synchronous order -> gift call (the seed's FeignClient). May raise or be slow: the order
    side defers the gift then."""
    def send(self, order_id: int) -> GiftAnswer: ...


class OrderingContext(Protocol):
    repo: OrderingRepo
    now: float
    gift_service: GiftService

    def emit(self, event: Event) -> object: ...
    def emit_all(self, events: Iterable[Event]) -> None: ...
