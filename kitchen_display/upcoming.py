"""The kitchen's "upcoming scheduled" strip: orders placed for later that have not reached the board
yet, soonest first, so a cook sees what is still to come (issue 11 point 12).

It reads ``todays_orders()`` — every implementation of the port already answers it, with each order's
``scheduled_for`` and its progress ("scheduled" until the kitchen releases its ticket) — so no new
port query is needed and the shop server and the chain work unchanged.
"""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtWidgets import QLabel, QSizePolicy

from screens_common.bridge import ShopEvents
from screens_common.i18n import tr
from screens_common.runner import PortRunner, Refetcher
from screens_common.widgets import ui_font
from services.port import EventRecord, OrderSummary, Shop

# What can add an upcoming order, release one to the board, or take one away.
UPCOMING_EVENTS = {"Ordered", "TicketScheduled", "TicketReleased", "OrderCancelled", "CookCancelled"}
MAX_SHOWN = 8


def upcoming(orders: list[OrderSummary]) -> list[OrderSummary]:
    """The orders still to come to the kitchen, soonest first."""
    waiting = [o for o in orders if o.status == "scheduled" and o.scheduled_for is not None]
    return sorted(waiting, key=lambda o: (o.scheduled_for or datetime.max.replace(tzinfo=timezone.utc), o.order_id))


def upcoming_text(orders: list[OrderSummary]) -> str:
    if not orders:
        return tr("kds.upcoming_none")
    shown = [tr("kds.upcoming_one", at=_hhmm(o.scheduled_for), id=o.order_id, who=o.customer_name).strip()
             for o in orders[:MAX_SHOWN]]
    more = f"  +{len(orders) - MAX_SHOWN}" if len(orders) > MAX_SHOWN else ""
    return tr("kds.upcoming", orders="  ·  ".join(shown)) + more


def _hhmm(at: datetime | None) -> str:
    return at.astimezone().strftime("%H:%M") if at is not None else ""


class UpcomingStrip(QLabel):
    def __init__(self, shop: Shop, events: ShopEvents, runner: PortRunner, failure, parent=None) -> None:
        super().__init__(parent)
        self.setFont(ui_font(14, bold=True))
        self.setStyleSheet("QLabel { background: #311b92; color: #ede7f6; border-radius: 6px; padding: 6px 10px; }")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)   # never widens the window
        self.orders: list[OrderSummary] = []
        self.fetch = Refetcher(runner, lambda: shop.as_of(shop.todays_orders), self._apply, failure, self)
        events.event.connect(self._on_event)
        events.subscribed.connect(self.fetch.request)
        events.reconnected.connect(self.fetch.request)

    def _on_event(self, record: EventRecord) -> None:
        if record.name in UPCOMING_EVENTS:
            self.fetch.request()

    def _apply(self, orders: list[OrderSummary]) -> None:
        self.orders = upcoming(orders)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(upcoming_text(self.orders))
        self.setToolTip(self.text())
