"""The delivery's state machine. Pure Python.

    PENDING --start (food cooked)--> WAITING --pick_up--> ON_THE_WAY --deliver--> DELIVERED
    WAITING --withdraw (food recalled)--> PENDING;   PENDING --cancel (order cancelled)--> CANCELLED

Each transition is a method that raises ``InvalidTransition`` when it is not allowed and returns the
events it causes; the handlers emit what it returns.
"""
from __future__ import annotations

from dataclasses import dataclass

from services.errors import InvalidTransition
from services.events import Delivered, DeliveryCancelled, DeliveryStarted, Event, PickedUp
from services.statuses import DeliveryStatus

# Kept for code that names them: the members of DeliveryStatus.
PENDING, WAITING, ON_THE_WAY, DELIVERED, CANCELLED = DeliveryStatus


@dataclass
class Delivery:
    order_id: int
    customer_name: str
    phone: str
    address: str
    status: DeliveryStatus = DeliveryStatus.PENDING
    rider: str = ""
    started_at: float | None = None
    picked_up_at: float | None = None
    delivered_at: float | None = None

    def _require(self, action: str, *allowed: DeliveryStatus) -> None:
        if self.status not in allowed:
            shown = ("not ready for pickup yet" if self.status == DeliveryStatus.PENDING
                     else self.status.replace("_", " "))
            raise InvalidTransition(f"Delivery of order {self.order_id} is {shown}: it cannot be {action}")

    def start(self, now: float) -> list[Event]:
        """The food is cooked: on the board for a rider."""
        self._require("started", DeliveryStatus.PENDING)
        self.status, self.started_at = DeliveryStatus.WAITING, now
        return [DeliveryStarted(order_id=self.order_id, address=self.address)]

    def withdraw(self) -> list[Event]:
        """The kitchen recalled the food before pickup: off the board again."""
        self._require("withdrawn", DeliveryStatus.WAITING)
        self.status, self.started_at = DeliveryStatus.PENDING, None
        return [DeliveryCancelled(order_id=self.order_id)]

    def pick_up(self, rider: str, now: float) -> list[Event]:
        self._require("picked up", DeliveryStatus.WAITING)
        self.status, self.rider, self.picked_up_at = DeliveryStatus.ON_THE_WAY, rider, now
        return [PickedUp(order_id=self.order_id, rider=rider)]

    def deliver(self, now: float) -> list[Event]:
        self._require("marked delivered", DeliveryStatus.ON_THE_WAY)
        self.status, self.delivered_at = DeliveryStatus.DELIVERED, now
        return [Delivered(order_id=self.order_id)]

    def cancel(self) -> list[Event]:
        """The order was cancelled before its food was cooked. Emits nothing of its own (the order's
        ``OrderCancelled`` says it)."""
        self._require("cancelled", DeliveryStatus.PENDING)
        self.status = DeliveryStatus.CANCELLED
        return []
