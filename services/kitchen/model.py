"""Cook ticket state machine and the all-or-nothing stock check. Pure Python."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from services.errors import InvalidTransition

SCHEDULED, QUEUED, COOKING, COOKED, COLLECTED, CANCELLED, REJECTED = (
    "scheduled", "queued", "cooking", "cooked", "collected", "cancelled", "rejected")
OPEN = (QUEUED, COOKING)


def demand_of(lines) -> Counter:
    """Units needed per item code (an item may appear on several lines with different notes)."""
    demand: Counter = Counter()
    for line in lines:
        demand[line["item_code"]] += line["quantity"]
    return demand


def missing_items(demand: Counter, on_hand: dict[str, int]) -> tuple[str, ...]:
    return tuple(sorted(code for code, units in demand.items() if on_hand.get(code, 0) < units))


@dataclass
class Ticket:
    order_id: int
    lines: list[dict]
    status: str
    created_at: float
    release_at: float | None = None
    started_at: float | None = None
    cooked_at: float | None = None
    cancelled_at: float | None = None
    late: bool = False

    def _require(self, action: str, *allowed: str) -> None:
        if self.status not in allowed:
            raise InvalidTransition(f"Ticket for order {self.order_id} is {self.status}: it cannot be {action}")

    def release(self, now: float) -> bool:
        if self.status != SCHEDULED:
            return False  # a release job may fire twice (job + sweep): the second does nothing
        self.status, self.created_at = QUEUED, now
        return True

    def start(self, now: float) -> None:
        self._require("started", QUEUED)
        self.status, self.started_at = COOKING, now

    def finish(self, now: float) -> None:
        self._require("bumped", QUEUED, COOKING)
        self.status, self.cooked_at = COOKED, now
        self.started_at = self.started_at or now

    def recall(self) -> None:
        if self.status == COLLECTED:
            raise InvalidTransition(f"Order {self.order_id} was already picked up: it cannot be recalled")
        self._require("recalled", COOKED)
        self.status, self.cooked_at = COOKING, None

    def collect(self) -> bool:
        """The rider took the food: from now on the bump is final."""
        if self.status != COOKED:
            return False
        self.status = COLLECTED
        return True

    def cancel(self, now: float) -> bool:
        """Cancel; returns True when the stock goes back (nothing was cooked yet)."""
        self._require("cancelled", SCHEDULED, QUEUED, COOKING)
        stock_returned = self.status in (SCHEDULED, QUEUED)
        self.status, self.cancelled_at = CANCELLED, now
        return stock_returned

    def is_late(self, now: float, threshold_s: float) -> bool:
        return self.status in OPEN and not self.late and now - self.created_at > threshold_s
