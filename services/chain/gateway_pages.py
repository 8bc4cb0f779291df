"""The port's paged queries, single items and feed position over the chain's services, mixed into
``ChainShop``: each collection is read one page at a time from the context that owns it
(``GET /views/pages/<collection>``, services/chain/pages.py), so what the gateway holds for a request
is bounded by the page, never a whole table. Items and pages are decoded by ``services.remote.codec``.

``as_of`` is ``AsOfLatest``'s: the stream's last sequence read just before the query. Without
``consistent_reads`` that is the newest event *published*, which a context may not have consumed yet
when it answers; the screens tolerate it (they follow the live feed and refetch), and the contract
suite, with ``consistent_reads``, gets the exact position (both reads wait for the chain to settle).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from services import commands as C
from services.chain.feed import ChainFeed
from services.local.views import start_of_today
from services.port import (DEFAULT_PAGE_SIZE, AlwaysConnected, AsOfLatest, DeliveryCard, GiftRecord, MypageCard,
                           OrderSummary, Page, Ticket, paging)
from services.remote import codec

T = TypeVar("T")


class ChainPages(AsOfLatest, AlwaysConnected):
    """Needs ``_view(context, path, params)``, ``_clock``, ``feed``, ``_consistent``, ``settle`` and
    ``_with_bills`` (payments' notes on mypage's orders) from ``ChainShop``. Connection: always online
    (the gateway is the chain's edge; a till's link to the gateway is the remote shop's business)."""

    _view: Callable[..., Any]
    _clock: Callable[[], float]
    _consistent: bool
    feed: ChainFeed
    settle: Callable[[], bool]
    _with_bills: Callable[[Sequence[OrderSummary]], list[OrderSummary]]

    def _page(self, context: str, collection: str, page: int, size: int, make: Callable[[dict], T],
              **params) -> Page[T]:
        page, size = paging(page, size)
        body = self._view(context, f"/views/pages/{collection}", {"page": page, "size": size, **params})
        return Page(tuple(make(j) for j in body["items"]), body["number"], body["size"], body["total"])

    def _item(self, context: str, collection: str, order_id: int, make: Callable[[dict], T]) -> T:
        return make(self._view(context, f"/views/{collection}/{C.order_id(order_id)}"))

    def orders_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[OrderSummary]:
        """Today's orders, newest first, from mypage's projection (as the local shop's ``todays_orders``)."""
        found = self._page("mypage", "orders", page, size, codec.summary, since=start_of_today(self._clock()))
        return dataclasses.replace(found, items=tuple(self._with_bills(found.items)))

    def order_summary(self, order_id: int) -> OrderSummary:
        return self._with_bills([self._item("mypage", "orders", order_id, codec.summary)])[0]

    def tickets_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[Ticket]:
        return self._page("kitchen", "tickets", page, size, codec.ticket)

    def ticket(self, order_id: int) -> Ticket:
        return self._item("kitchen", "tickets", order_id, codec.ticket)

    def deliveries_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[DeliveryCard]:
        return self._page("delivery", "deliveries", page, size, codec.delivery_card)

    def delivery(self, order_id: int) -> DeliveryCard:
        return self._item("delivery", "deliveries", order_id, codec.delivery_card)

    def gifts_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[GiftRecord]:
        return self._page("gift", "gifts", page, size, codec.gift)

    def gift(self, order_id: int) -> GiftRecord:
        return self._item("gift", "gifts", order_id, codec.gift)

    def mypages_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[MypageCard]:
        return self._page("mypage", "mypages", page, size, codec.mypage)

    def latest_position(self) -> int:
        """The stream's last sequence (0 if empty); with ``consistent_reads``, once the chain has
        settled, so everything this shop did before is in it."""
        if self._consistent:
            self.settle()
        return self.feed.latest_position()
