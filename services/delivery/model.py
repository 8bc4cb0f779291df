"""Delivery state machine. Pure Python."""
from __future__ import annotations

from dataclasses import dataclass

from services.errors import InvalidTransition

PENDING, WAITING, ON_THE_WAY, DELIVERED, CANCELLED = "pending", "waiting", "on_the_way", "delivered", "cancelled"


@dataclass
class Delivery:
    order_id: int
    customer_name: str
    phone: str
    address: str
    status: str = PENDING
    rider: str = ""
    started_at: float | None = None
    picked_up_at: float | None = None
    delivered_at: float | None = None

    def _require(self, action: str, *allowed: str) -> None:
        if self.status not in allowed:
            shown = "not ready for pickup yet" if self.status == PENDING else self.status.replace("_", " ")
            raise InvalidTransition(f"Delivery of order {self.order_id} is {shown}: it cannot be {action}")

    def start(self, now: float) -> bool:
        if self.status != PENDING:
            return False
        self.status, self.started_at = WAITING, now
        return True

    def withdraw(self) -> bool:
        """The kitchen recalled the food before pickup: off the board again."""
        if self.status != WAITING:
            return False
        self.status, self.started_at = PENDING, None
        return True

    def pick_up(self, rider: str, now: float) -> None:
        self._require("picked up", WAITING)
        self.status, self.rider, self.picked_up_at = ON_THE_WAY, rider, now

    def deliver(self, now: float) -> None:
        self._require("marked delivered", ON_THE_WAY)
        self.status, self.delivered_at = DELIVERED, now

    def cancel(self) -> bool:
        if self.status != PENDING:
            return False
        self.status = CANCELLED
        return True
