"""The port's paged reads over HTTP: the gateway's collection routes, their single items, and the
event log (``events_since``, ``latest_position``).

Every collection is asked for as Spring Data REST's page (``Accept: application/hal+json``), so the
items and their place in the collection (size, total, number) come in one body for every route,
``GET /deliveries`` included (whose plain JSON is the board). Mixed into ``RemoteShop``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from services import commands as C
from services.errors import ShopError
from services.port import (DEFAULT_PAGE_SIZE, AsOf, DeliveryCard, EventRecord, GiftRecord, MypageCard, OrderSummary,
                           Page, Ticket, paging)
from services.remote import codec

T = TypeVar("T")
HAL = {"Accept": "application/hal+json"}


class RemotePages:
    _call: Callable[..., Any]

    def _page(self, path: str, name: str, page: int, size: int, make: Callable[[dict], T]) -> Page[T]:
        page, size = paging(page, size)
        body = self._call("GET", path, params={"page": page, "size": size}, headers=HAL)
        return Page(tuple(make(j) for j in body["_embedded"][name]), body["page"]["number"], body["page"]["size"],
                    body["page"]["totalElements"])

    def orders_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[OrderSummary]:
        """The server's page of today's orders (this till's queued orders are in ``todays_orders`` only)."""
        return self._page("/orders", "orders", page, size, codec.summary)

    def order_summary(self, order_id: int) -> OrderSummary:
        return codec.summary(self._call("GET", f"/orders/{C.order_id(order_id)}"))

    def tickets_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[Ticket]:
        return self._page("/cooks", "cooks", page, size, codec.ticket)

    def ticket(self, order_id: int) -> Ticket:
        return codec.ticket(self._call("GET", f"/cooks/{C.order_id(order_id)}"))

    def deliveries_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[DeliveryCard]:
        return self._page("/deliveries", "deliveries", page, size, codec.delivery_card)

    def delivery(self, order_id: int) -> DeliveryCard:
        return codec.delivery_card(self._call("GET", f"/deliveries/{C.order_id(order_id)}"))

    def gifts_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[GiftRecord]:
        return self._page("/gifts", "gifts", page, size, codec.gift)

    def gift(self, order_id: int) -> GiftRecord:
        return codec.gift(self._call("GET", f"/gifts/{C.order_id(order_id)}"))

    def mypages_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE) -> Page[MypageCard]:
        return self._page("/mypages", "mypages", page, size, codec.mypage)

    _as_of_floor = 0     # the newest position the server has told this till of

    def latest_position(self) -> int:
        position = int(self._call("GET", "/events/latest")["position"])
        self._as_of_floor = max(self._as_of_floor, position)
        return position

    def as_of(self, query: Callable[[], T]) -> AsOf[T]:
        """The position read just before the query: a floor of what the answer includes (events commit
        in order). With the server away, an answer kept on this till is as of the last position
        heard, so a screen still shows it (and this till's queued orders in it)."""
        try:
            position = self.latest_position()
        except ShopError:
            position = self._as_of_floor
        return AsOf(position, query())

    def events_since(self, position: int, limit: int = 500) -> list[EventRecord]:
        """Pages of at most 500 (the server's page size) until ``limit`` events or the end of the log."""
        position, limit = C.position(position), C.position(limit, "Event count")
        records: list[EventRecord] = []
        while len(records) < limit:
            want = min(limit - len(records), 500)
            page = [codec.event(j) for j in self._call("GET", "/events", params={"after": position, "limit": want})]
            records.extend(page)
            if len(page) < want:
                break
            position = page[-1].position
        return records
