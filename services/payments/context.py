"""What the payments handlers are given (``handler(message, ctx)``)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from services.events import Event
from services.payments.model import Bill, Day, Payment


class PaymentsRepo(Protocol):
    def bill(self, order_id: int) -> Bill | None: ...
    def add_bill_if_new(self, bill: Bill) -> None: ...
    def save_bill(self, bill: Bill) -> None: ...
    def note_gift(self, order_id: int, gift_kind: str) -> None:
        """The bill's gift ("" : none, or gone back); an order without a bill is left alone."""
    def payment(self, client_ref: str) -> Payment | None:
        """The payment taken under ``client_ref``, if one was."""
    def add_payment(self, payment: Payment, at: float) -> None:
        """Keep ``payment`` (one with a client_ref) under its client_ref, in the payment's transaction."""
    def open_day(self) -> Day | None: ...
    def add_day(self, day: Day) -> int: ...
    def save_day(self, day: Day) -> None: ...
    def adopt_strays(self, day_id: int) -> None:
        """Bills and refunds made while no day was open join ``day_id``."""
    def day_rows(self, day_id: int) -> tuple[list[dict], list[dict], list[dict]]:
        """(bills, tenders, refunds) of ``day_id``, as ``services.day_report.build_report`` takes them."""


class PaymentsContext(Protocol):
    repo: PaymentsRepo
    now: float

    def emit(self, event: Event) -> object: ...
    def emit_all(self, events: Iterable[Event]) -> None: ...
