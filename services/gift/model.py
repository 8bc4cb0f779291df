"""Gift and gift stock. Pure Python.

A gift is sent while gift stock lasts (``GiftStock.send``); a sent gift is cancelled with its order
and goes back to stock. Transitions raise ``InvalidTransition`` when not allowed and return the
events they cause.
"""
from __future__ import annotations

from dataclasses import dataclass

from services.errors import InvalidTransition
from services.events import Event, GiftOutOfStock, GiftSendCancelled, GiftSent, GiftStockSet
from services.statuses import GiftStatus

# Kept for code that names them: members of GiftStatus.
SENT, OUT_OF_STOCK, CANCELLED = GiftStatus.SENT, GiftStatus.OUT_OF_STOCK, GiftStatus.CANCELLED
DEFAULT_KIND = "사탕"  # candy, the seed's gift (giftKind "Candy"), named as a Korean shop names it


@dataclass(frozen=True)
class GiftOutcome:
    """What the order side learns from its synchronous gift call."""
    status: GiftStatus
    kind: str


@dataclass
class Gift:
    order_id: int
    kind: str
    status: GiftStatus
    sent_at: float | None = None
    cancelled_at: float | None = None

    @property
    def outcome(self) -> GiftOutcome:
        return GiftOutcome(self.status, self.kind if self.status == GiftStatus.SENT else "")

    def cancel(self, now: float) -> list[Event]:
        """The order was cancelled: the gift comes back (the handler puts it back in stock)."""
        if self.status != GiftStatus.SENT:
            raise InvalidTransition(f"The gift of order {self.order_id} is {self.status}: it cannot be cancelled")
        self.status, self.cancelled_at = GiftStatus.CANCELLED, now
        return [GiftSendCancelled(order_id=self.order_id, gift_kind=self.kind)]


@dataclass
class GiftStock:
    kind: str
    quantity: int

    def send(self, order_id: int, now: float) -> tuple[Gift, list[Event]]:
        """One gift for ``order_id`` while stock lasts; otherwise an out-of-stock gift (kept, so a
        retried call issues nothing new)."""
        if self.quantity <= 0:
            return Gift(order_id, self.kind, GiftStatus.OUT_OF_STOCK), [GiftOutOfStock(order_id=order_id)]
        self.quantity -= 1
        return (Gift(order_id, self.kind, GiftStatus.SENT, sent_at=now),
                [GiftSent(order_id=order_id, gift_kind=self.kind)])

    def take_back(self, gift: Gift) -> bool:
        """A cancelled gift returns to stock, unless its kind is no longer handed out."""
        if gift.kind != self.kind:
            return False
        self.quantity += 1
        return True

    def set(self, quantity: int, kind: str | None = None) -> list[Event]:
        if quantity < 0:
            raise InvalidTransition(f"Gift stock cannot be negative ({quantity})")
        self.quantity = quantity
        self.kind = kind.strip() if kind else self.kind
        return [GiftStockSet(order_id=0, gift_kind=self.kind, quantity=self.quantity)]
