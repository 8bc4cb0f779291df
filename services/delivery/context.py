"""What the delivery handlers are given (``handler(message, ctx)``)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from services.delivery.model import Delivery
from services.events import Event


class DeliveryRepo(Protocol):
    def get(self, order_id: int) -> Delivery | None: ...
    def add_if_new(self, delivery: Delivery) -> None: ...
    def save(self, delivery: Delivery) -> None: ...


class DeliveryContext(Protocol):
    repo: DeliveryRepo
    now: float

    def emit(self, event: Event) -> object: ...
    def emit_all(self, events: Iterable[Event]) -> None: ...
