"""``ChainShop``: the ``Shop`` port over the chain's context services, for the gateway.

Commands go to the service that owns them (``POST /commands/{Name}``, encoded by
``services.chain.wire``); views come back as the gateway's own wire JSON and are decoded by
``services.remote.codec``; refusals come back as the same ShopError classes as in the local shop.
The menu is ordering's menu with kitchen's stock. The point of sale (payments, the day, the manager's
menu) is ``ChainPointOfSale``'s (services/chain/gateway_pos.py). The paged queries, single items, ``as_of`` and
the connection state are ``ChainPages``' (services/chain/gateway_pages.py). The live feed and
``events_since`` read the JetStream stream (``services.chain.feed``); a position is a stream sequence.

Placing an order (issue 12, point 6): ordering takes the order and answers at once; the stock check
happens in the kitchen service, which hears of the order from the stream. ``place_order`` waits up to
``stock_wait_s`` for that check and answers "placed" or "cancelled" (with the reason) as the local
shop does; past it, it answers "checking" and the screens learn the rest from the live feed.

``consistent_reads``: the services are eventually consistent (a finished cook reaches the delivery
board when the delivery service has consumed the event). With it on, every query, and a command that
follows this shop's own command, first waits (up to ``settle_s``) until every context's outbox is
published (``relayLag`` on ``/readyz``) and every durable consumer has acked all of the stream (asked
of JetStream): the answer includes everything committed before the call, the caller's own writes and
timed work alike. The contract suite uses it; the gateway does not
(many tills share it, and screens follow the live feed).
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import uuid
from collections.abc import Callable, Collection

from services import commands as C
from services import payment_commands as P
from services.chain import wire
from services.chain.feed import ChainFeed, StockOutcome
from services.chain.gateway_calls import ServiceCalls
from services.chain.gateway_pages import ChainPages
from services.chain.gateway_pos import ChainPointOfSale
from services.chain.settings import CONTEXTS, ChainSettings
from services.errors import InvalidInput, UnknownOrder
from services.local.manager import StaffDirectory
from services.local.views import start_of_today
from services.menu_commands import SaveCategory, SaveMenuItem
from services.ops.logs import order_context
from services.port import (DeliveryBoard, EventRecord, GiftStock, MenuItem, MypageCard, OrderReceipt, OrderSummary,
                           Ticket)
from services.remote import codec

log = logging.getLogger(__name__)

OWNER = {C.PlaceOrder: "ordering", C.CancelOrder: "ordering", C.StartCooking: "kitchen",
         C.FinishCooking: "kitchen", C.RecallTicket: "kitchen", C.MarkSoldOut: "kitchen", C.Restock: "kitchen",
         C.PickUp: "delivery", C.Deliver: "delivery", C.SetGiftStock: "gift",
         P.TakePayment: "payments", P.OpenDay: "payments", P.CloseDay: "payments",
         SaveCategory: "ordering", SaveMenuItem: "ordering"}


def receipt_from(result: dict, outcome: StockOutcome | None) -> OrderReceipt:
    """Ordering's receipt (snake_case, as ``services.local.shop._receipt``) with the stock check's outcome."""
    status, reason, gift_status = result["status"], result.get("reason", ""), result["gift_status"]
    if status != "cancelled":
        if outcome is None:
            status = "checking"
        elif outcome.status == "cancelled":
            status, reason = "cancelled", outcome.reason
    if status == "cancelled" and gift_status == "sent":
        gift_status = "cancelled"
    return OrderReceipt(order_id=result["order_id"], status=status, total=result["total"],
                        gift_kind=result.get("gift_kind") if gift_status == "sent" else None,
                        gift_status=gift_status, reason=reason, client_ref=result.get("client_ref"))


class ChainShop(ChainPages, ChainPointOfSale):
    def __init__(self, settings: ChainSettings, *, stock_wait_s: float = 2.0, consistent_reads: bool = False,
                 settle_s: float = 30.0, clock: Callable[[], float] = time.time,
                 staff: StaffDirectory | None = None) -> None:
        missing = [c for c in CONTEXTS if c not in settings.service_urls]
        if missing:
            raise ValueError(f"SIKDANG_SERVICE_URLS lacks {', '.join(missing)}")
        self.settings = settings
        self.stock_wait_s, self.settle_s = stock_wait_s, settle_s
        self._consistent, self._dirty = consistent_reads, False
        self._clock = clock
        self._staff = staff   # the gateway's staff file (services.http.staff_file.StaffFile); None: no PINs
        self.calls = ServiceCalls(settings.service_urls)
        self.feed = ChainFeed(settings.nats_url, settings.stream)

    # -- commands -----------------------------------------------------------------------------------
    def _command(self, command, *, repeatable: bool = False):
        if self._consistent and self._dirty:
            self.settle()      # a command may depend on another context having heard of our last one
        self._dirty = True
        context = OWNER[type(command)]
        with order_context(getattr(command, "order_id", None)):
            body = self.calls.call(context, "POST", f"/commands/{type(command).__name__}",
                                   json=wire.command_to_json(command), repeatable=repeatable)
        return body["result"]

    @staticmethod
    def _with_client_ref(command: C.PlaceOrder) -> C.PlaceOrder:
        if not isinstance(command, C.PlaceOrder):
            raise InvalidInput(f"place_order takes a PlaceOrder, got {type(command).__name__}")
        # A client-made id makes our own retries (a replica dying mid-request) take the order once.
        return command if command.client_ref else dataclasses.replace(command, client_ref=uuid.uuid4().hex)

    def place_order(self, command: C.PlaceOrder) -> OrderReceipt:
        result = self._command(self._with_client_ref(command), repeatable=True)
        if result["status"] == "cancelled":
            return _logged(receipt_from(result, None))
        future = self.feed.outcome(result["order_id"])
        try:
            outcome = future.result(self.stock_wait_s)
        except TimeoutError:
            self.feed.forget(result["order_id"], future)
            outcome = self._outcome_from_mypage(result["order_id"])
        return _logged(receipt_from(result, outcome))

    async def place_order_async(self, command: C.PlaceOrder) -> OrderReceipt:
        """``place_order`` on the gateway's event loop (its POST /orders fast path): no thread per order."""
        command = self._with_client_ref(command)
        self._dirty = True
        body = await self.calls.call_async("ordering", "POST", "/commands/PlaceOrder",
                                           json=wire.command_to_json(command), repeatable=True)
        result = body["result"]
        if result["status"] == "cancelled":
            return _logged(receipt_from(result, None))
        future = self.feed.outcome(result["order_id"])
        try:
            outcome = await asyncio.wait_for(asyncio.wrap_future(future), self.stock_wait_s)
        except TimeoutError:
            self.feed.forget(result["order_id"], future)
            outcome = await asyncio.get_running_loop().run_in_executor(None, self._outcome_from_mypage,
                                                                       result["order_id"])
        return _logged(receipt_from(result, outcome))

    def _outcome_from_mypage(self, order_id: int) -> StockOutcome | None:
        """The feed did not bring the check in time (it was earlier than the feed, or it is late):
        ask mypage, which knows it once it has projected the check."""
        try:
            card = self.mypage(order_id)
        except Exception:  # noqa: BLE001 - no answer is "still checking", never a failed order
            return None
        if card.order_status == "cancelled":
            return StockOutcome("cancelled", card.reason)
        return StockOutcome("placed") if card.cook_status not in ("", "waiting") else None

    def cancel_order(self, order_id: int, reason: str = "", staff: str = "") -> None:
        self._command(C.CancelOrder(order_id, reason, staff))

    def start_cooking(self, order_id: int) -> None:
        self._command(C.StartCooking(order_id))

    def finish_cooking(self, order_id: int) -> None:
        self._command(C.FinishCooking(order_id))

    def recall_ticket(self, order_id: int) -> None:
        self._command(C.RecallTicket(order_id))

    def pick_up(self, order_id: int, rider: str = "") -> None:
        self._command(C.PickUp(order_id, rider))

    def deliver(self, order_id: int) -> None:
        self._command(C.Deliver(order_id))

    # The manager's who and why are audited by the gateway's routes (the staff store), as on the shop server.
    def mark_sold_out(self, item_code: str, *, staff: str = "", reason: str = "") -> None:
        self._command(C.MarkSoldOut(item_code))

    def restock(self, item_code: str, quantity: int, *, staff: str = "", reason: str = "") -> None:
        self._command(C.Restock(item_code, quantity))

    def set_gift_stock(self, quantity: int, kind: str | None = None, *, staff: str = "", reason: str = "") -> None:
        self._command(C.SetGiftStock(quantity, kind))

    # -- queries ------------------------------------------------------------------------------------
    def _view(self, context: str, path: str, params: dict | None = None):
        if self._consistent:
            self.settle()
        return self.calls.call(context, "GET", path, params=params, repeatable=True)

    def menu(self) -> list[MenuItem]:
        items = self._view("ordering", "/views/menu")
        stock = self._view("kitchen", "/views/stock")
        return [codec.menu_item({**item, "stock": stock.get(item["code"], 0)}) for item in items]

    def gift_stock(self) -> GiftStock:
        return codec.gift_stock(self._view("gift", "/views/stock"))

    def kitchen_tickets(self) -> list[Ticket]:
        return [codec.ticket(j) for j in self._view("kitchen", "/views/tickets")]

    def delivery_board(self) -> DeliveryBoard:
        return codec.delivery_board(self._view("delivery", "/views/board", {"since": start_of_today(self._clock())}))

    def mypage(self, order_id: int) -> MypageCard:
        order_id = C.order_id(order_id)
        return codec.mypage(self._view("mypage", f"/views/mypage/{order_id}"))

    def mypage_by_phone(self, phone: str) -> list[MypageCard]:
        return [codec.mypage(j) for j in self._view("mypage", "/views/mypage", {"phone": C.normalize_phone(phone)})]

    def todays_orders(self) -> list[OrderSummary]:
        return self._with_bills([codec.summary(j) for j in self._view("mypage", "/views/today",
                                                                      {"since": start_of_today(self._clock())})])

    def settle(self) -> bool:
        """Wait until no relay or consumer of any context lags (every event so far is everywhere);
        False if ``settle_s`` ran out first."""
        deadline = time.monotonic() + self.settle_s
        quiet_rounds = 0
        while time.monotonic() < deadline:
            if all(self._relay_idle(context) for context in CONTEXTS) and self._consumers_idle():
                quiet_rounds += 1
                if quiet_rounds == 2:   # twice: an event published between two contexts' answers is seen
                    self._dirty = False
                    return True
                continue
            quiet_rounds = 0
            time.sleep(0.02)
        log.warning("the chain did not settle within %.0f s", self.settle_s)
        return False

    def _relay_idle(self, context: str) -> bool:
        """The context's outbox is all published (its relay lag is counted in its database)."""
        try:
            r = self.calls._client.get(self.calls.urls[context] + "/readyz")
            return r.status_code == 200 and r.json().get("relayLag") == 0
        except Exception:  # noqa: BLE001 - a replica restarting is not idle yet
            return False

    def _consumers_idle(self) -> bool:
        try:
            return self.feed.consumers_idle(CONTEXTS)
        except Exception:  # noqa: BLE001 - the broker away, or a consumer not created yet
            return False

    # -- live feed ----------------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[EventRecord], None], names: Collection[str] | None = None
                  ) -> Callable[[], None]:
        return self.feed.subscribe(callback, names)

    def events_since(self, position: int, limit: int = 500) -> list[EventRecord]:
        position, limit = C.position(position), C.position(limit, "Event count")
        if self._consistent:
            self.settle()
        return self.feed.events_since(position, limit)

    def describe(self) -> str:
        return f"Chain · stream {self.settings.stream} · {self.settings.nats_url}"

    def close(self) -> None:
        self.feed.close()
        self.calls.close()


def open_chain_shop(**kwargs) -> ChainShop:
    return ChainShop(ChainSettings.from_env(), **kwargs)


__all__ = ["ChainShop", "open_chain_shop", "UnknownOrder"]


def _logged(receipt: OrderReceipt) -> OrderReceipt:
    """One line per order answered at the gateway, under its order id (``main.py logs --order``)."""
    log.info("order %d answered %s (clientRef %s)", receipt.order_id, receipt.status, receipt.client_ref,
             extra={"order_id": receipt.order_id})
    return receipt
