"""What the slips need to know about an order, read through the port only (any way the shop runs).

The order's lines with unit prices are in its ``Ordered`` event: kept as the feed passes it, or found
again after a restart through mypage's timeline (``events_since(position - 1, 1)``), as the counter's
receipt does. Categories come from the menu; mypage adds the gift for a receipt.
"""
from __future__ import annotations

import dataclasses
from collections import OrderedDict

from services.errors import ShopError, UnknownOrder
from services.events import OrderCancelled, Ordered
from services.port import BillView, EventRecord, Shop
from services.printing.layouts import PrintLine, PrintOrder

_KEEP = 500   # Ordered events remembered from the feed (a ticket follows its order within a moment)


class OrderReader:
    """Shared by the feed's thread and the desk's callers: each lookup is one dict operation."""

    def __init__(self, shop: Shop) -> None:
        self._shop = shop
        self._ordered: OrderedDict[int, Ordered] = OrderedDict()
        self._reasons: OrderedDict[int, str] = OrderedDict()
        self._categories: dict[str, str] = {}

    def remember(self, record: EventRecord) -> None:
        """Keep what a later event of the same order will need (call for every feed record)."""
        event = record.event
        if isinstance(event, Ordered):
            self._ordered[record.order_id] = event
            _trim(self._ordered)
        elif isinstance(event, OrderCancelled):
            self._reasons[record.order_id] = event.reason
            _trim(self._reasons)

    def ordered(self, order_id: int) -> Ordered:
        """The order's ``Ordered`` event; raises UnknownOrder if the shop does not know it."""
        kept = self._ordered.get(order_id)   # the feed's thread may trim it meanwhile: one lookup
        if kept is not None:
            return kept
        card = self._shop.mypage(order_id)
        entry = next((e for e in card.timeline if e.event == "Ordered"), None)
        records = self._shop.events_since(entry.position - 1, limit=1) if entry else []
        if not records or not isinstance(records[0].event, Ordered) or records[0].order_id != order_id:
            raise UnknownOrder(f"order {order_id}: its Ordered event was not found")
        return records[0].event

    def order(self, order_id: int, *, with_card: bool = False) -> PrintOrder:
        ordered = self.ordered(order_id)
        card = self._shop.mypage(order_id) if with_card else None
        # the lines stay dicts in the event itself (its wire form: services/events.py says their keys)
        lines = tuple(PrintLine(item_code=line["item_code"], name_ko=line["name_ko"], name_en=line["name_en"],
                                quantity=int(line["quantity"]), unit_price=int(line.get("unit_price", 0)),
                                note=line.get("note", ""), category=self.category(line["item_code"]))
                      for line in ordered.lines)
        reason = self._reasons.get(order_id) or (card.reason if card else "")
        bill = self._bill(order_id) if with_card else None
        return PrintOrder(order_id=order_id, placed_at=ordered.placed_at, lines=lines, total=ordered.total,
                          customer_name=ordered.customer_name, phone=ordered.phone,
                          address=ordered.address, scheduled_for=ordered.scheduled_for,
                          gift_kind=card.gift_kind if card and card.gift_status == "sent" else "",
                          cancelled=bool(card and card.order_status == "cancelled"), reason=reason,
                          order_type=ordered.order_type, table=ordered.table, guests=ordered.guests,
                          tenders=tuple(dataclasses.asdict(t) for t in bill.tenders) if bill else (),
                          balance=bill.balance if bill else 0, cash_receipt=bill.cash_receipt if bill else "")

    def _bill(self, order_id: int) -> BillView | None:
        """The order's bill for the receipt; None from a shop that keeps no bills (an older server)."""
        try:
            return self._shop.bill(order_id)
        except ShopError:
            return None

    def category(self, item_code: str) -> str:
        if item_code not in self._categories:   # a new item: read the menu again
            self._categories = {item.code: item.category for item in self._shop.menu()}
        return self._categories.get(item_code, "")


def _trim(kept: OrderedDict) -> None:
    while len(kept) > _KEEP:
        kept.popitem(last=False)
