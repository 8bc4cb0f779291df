"""Gift and gift stock. Pure Python."""
from __future__ import annotations

from dataclasses import dataclass

SENT, OUT_OF_STOCK, CANCELLED = "sent", "out_of_stock", "cancelled"
DEFAULT_KIND = "Candy"  # the seed's gift (giftKind "Candy")


@dataclass(frozen=True)
class GiftOutcome:
    """What the order side learns from its synchronous gift call."""
    status: str
    kind: str


@dataclass
class GiftStock:
    kind: str
    quantity: int

    def take_one(self) -> bool:
        if self.quantity <= 0:
            return False
        self.quantity -= 1
        return True


@dataclass
class Gift:
    order_id: int
    kind: str
    status: str
    sent_at: float | None = None
    cancelled_at: float | None = None

    def cancel(self, now: float) -> bool:
        """Cancel a sent gift; returns True when one unit goes back to stock."""
        if self.status != SENT:
            return False
        self.status, self.cancelled_at = CANCELLED, now
        return True
