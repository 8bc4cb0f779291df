"""What the gift handlers are given (``handler(message, ctx)``)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from services.events import Event
from services.gift.model import Gift, GiftStock


class GiftRepo(Protocol):
    def stock(self) -> GiftStock: ...
    def save_stock(self, stock: GiftStock) -> None: ...
    def get(self, order_id: int) -> Gift | None: ...
    def add(self, gift: Gift) -> None: ...
    def save(self, gift: Gift) -> None: ...


class GiftContext(Protocol):
    repo: GiftRepo
    now: float

    def emit(self, event: Event) -> object: ...
    def emit_all(self, events: Iterable[Event]) -> None: ...
