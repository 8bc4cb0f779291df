"""The cook ticket's state machine and the all-or-nothing stock check. Pure Python.

    SCHEDULED --release--> QUEUED --start--> COOKING --finish--> COOKED --collect--> COLLECTED
                              \\__________finish___________/        |
                                                                  recall (until collected) -> COOKING
    SCHEDULED, QUEUED, COOKING --cancel--> CANCELLED        (a stock check that fails: REJECTED)

Each transition is a method that raises ``InvalidTransition`` when it is not allowed and returns the
events it causes (FTGO's ``Ticket``); the handlers emit what it returns.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from services.errors import InvalidTransition
from services.events import (CookCancelled, Cooked, CookRecalled, CookStarted, Event, Ordered, StockChecked,
                             TicketLate, TicketReleased, TicketScheduled)
from services.statuses import OPEN_TICKETS, TicketStatus

# Kept for code that names them: the members of TicketStatus.
SCHEDULED, QUEUED, COOKING, COOKED, COLLECTED, CANCELLED, REJECTED = TicketStatus
OPEN = OPEN_TICKETS
CANCELLABLE = (TicketStatus.SCHEDULED, TicketStatus.QUEUED, TicketStatus.COOKING)


def demand_of(lines: Iterable[Mapping]) -> Counter[str]:
    """Units needed per item code (an item may appear on several lines with different notes)."""
    demand: Counter[str] = Counter()
    for line in lines:
        demand[line["item_code"]] += line["quantity"]
    return demand


def missing_items(demand: Mapping[str, int], on_hand: Mapping[str, int]) -> tuple[str, ...]:
    return tuple(sorted(code for code, units in demand.items() if on_hand.get(code, 0) < units))


RELEASED_LATE_S = 60   # a scheduled ticket reaching the kitchen this long after its time is late


@dataclass
class Ticket:
    order_id: int
    lines: list[dict]
    status: TicketStatus
    created_at: float
    release_at: float | None = None
    started_at: float | None = None
    cooked_at: float | None = None
    cancelled_at: float | None = None
    late: bool = False
    order_type: str = "delivery"   # shown on the card: dine-in (with its table), takeout or delivery
    table: int | None = None

    @classmethod
    def open(cls, ordered: Ordered, on_hand: Mapping[str, int], now: float) -> tuple[Ticket, list[Event]]:
        """The kitchen hears of an order: check stock for all its lines at once. The ticket is kept
        even when rejected, so a redelivered ``Ordered`` is recognised."""
        missing = missing_items(demand_of(ordered.lines), on_hand)
        scheduled = ordered.scheduled_for is not None and ordered.scheduled_for > now
        status = (TicketStatus.REJECTED if missing else TicketStatus.SCHEDULED if scheduled
                  else TicketStatus.QUEUED)
        ticket = cls(order_id=ordered.order_id, lines=list(ordered.lines), created_at=now, status=status,
                     release_at=ordered.scheduled_for if scheduled else None,
                     order_type=ordered.order_type, table=ordered.table)
        events: list[Event] = [StockChecked(order_id=ordered.order_id, in_stock=not missing, missing=missing)]
        if ticket.status == TicketStatus.SCHEDULED and ordered.scheduled_for is not None:
            events.append(TicketScheduled(order_id=ordered.order_id, release_at=ordered.scheduled_for))
        return ticket, events

    @property
    def takes_stock(self) -> bool:
        """Whether the ticket holds stock (every one but a rejected one took its lines when opened)."""
        return self.status != TicketStatus.REJECTED

    def _require(self, action: str, *allowed: TicketStatus) -> None:
        if self.status not in allowed:
            raise InvalidTransition(f"Ticket for order {self.order_id} is {self.status}: it cannot be {action}")

    def release(self, now: float) -> list[Event]:
        """A scheduled ticket reaches the kitchen. A release job may fire twice (job + sweep): a ticket
        already released returns no events. Released well after its time (the shop was closed or down
        then), it is flagged late at once: the cook must see that the customer already waits."""
        if self.status != TicketStatus.SCHEDULED:
            return []
        due_at = self.release_at
        self.status, self.created_at = TicketStatus.QUEUED, now
        events: list[Event] = [TicketReleased(order_id=self.order_id)]
        if due_at is not None and now - due_at > RELEASED_LATE_S:
            self.late = True
            events.append(TicketLate(order_id=self.order_id, age_s=round(now - due_at, 1)))
        return events

    def start(self, now: float) -> list[Event]:
        self._require("started", TicketStatus.QUEUED)
        self.status, self.started_at = TicketStatus.COOKING, now
        return [CookStarted(order_id=self.order_id)]

    def finish(self, now: float) -> list[Event]:
        """The bump: from queued (cooked at once) or cooking."""
        self._require("bumped", TicketStatus.QUEUED, TicketStatus.COOKING)
        self.status, self.cooked_at = TicketStatus.COOKED, now
        self.started_at = self.started_at or now
        return [Cooked(order_id=self.order_id)]

    def recall(self) -> list[Event]:
        if self.status == TicketStatus.COLLECTED:
            raise InvalidTransition(f"Order {self.order_id} was already picked up: it cannot be recalled")
        self._require("recalled", TicketStatus.COOKED)
        self.status, self.cooked_at = TicketStatus.COOKING, None
        return [CookRecalled(order_id=self.order_id)]

    def collect(self) -> list[Event]:
        """The rider took the food: from now on the bump is final. Emits nothing of its own."""
        self._require("collected", TicketStatus.COOKED)
        self.status = TicketStatus.COLLECTED
        return []

    def cancel(self, now: float) -> list[CookCancelled]:
        """The order was cancelled: the stock goes back when nothing was cooked yet
        (``CookCancelled.stock_returned``)."""
        self._require("cancelled", *CANCELLABLE)
        stock_returned = self.status in (TicketStatus.SCHEDULED, TicketStatus.QUEUED)
        self.status, self.cancelled_at = TicketStatus.CANCELLED, now
        return [CookCancelled(order_id=self.order_id, stock_returned=stock_returned)]

    def is_late(self, now: float, threshold_s: float) -> bool:
        return self.status in OPEN_TICKETS and not self.late and now - self.created_at > threshold_s

    def flag_late(self, now: float, threshold_s: float) -> list[Event]:
        if not self.is_late(now, threshold_s):
            raise InvalidTransition(f"Ticket for order {self.order_id} is not late")
        self.late = True
        return [TicketLate(order_id=self.order_id, age_s=round(now - self.created_at, 1))]
