"""``RemoteShop``: the ``Shop`` port over HTTP to the gateway, for screens on another machine.

Commands and queries are plain HTTP calls that raise the same ShopErrors as the local shop. Two
additions keep a counter working through a bad network:
- a breaker that opens on the first unreachable server, so calls fail fast instead of hanging;
- ``place_order`` never fails for want of a server: every order gets a client-made id
  (``client_ref``) and, when the server cannot be reached, goes into a durable local queue that a
  background thread sends once the server answers again (the server takes each id once).
The same thread probes ``/health`` twice a second (and at once when the event stream drops), so a lost
server shows as ``connection()`` "offline" within about a second with no user action, and a server
back as "online". The menu last seen is kept beside the queue, so a till started offline can sell.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
import time
import uuid
from collections.abc import Callable, Collection
from pathlib import Path

import httpx

from services import commands as C
from services.commands import PlaceOrder
from services.errors import InvalidInput, PinsThrottled, ShopError
from services.port import (Connection, DeliveryBoard, EventRecord, GiftStock, MenuItem, MypageCard, OrderReceipt,
                           OrderSummary, Ticket)
from services.remote import codec
from services.remote.breaker import Breaker
from services.remote.errors import BUSY, NotAllowed, ServerBusy, ServerUnreachable, SignInFailed, error_for
from services.remote.feed import EventFeed
from services.remote.offline import OfflineOrders
from services.remote.pages import RemotePages
from services.remote.pos import PointOfSaleCalls
from services.remote.queue import OfflineQueue
from services.statuses import ConnectionState

log = logging.getLogger(__name__)
_NETWORK_ERRORS = (httpx.TransportError,)   # connect/read/write errors and timeouts: the server is not there


class RemoteShop(PointOfSaleCalls, RemotePages, OfflineOrders):
    def __init__(self, url: str, staff_id: str, pin: str, *, queue_path: Path, timeout_s: float = 5.0,
                 probe_interval_s: float = 0.5) -> None:
        self.url = url.rstrip("/")
        self._staff_id, self._pin = staff_id, pin
        self._client = httpx.Client(base_url=self.url, timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 2.0)))
        self._token = ""
        self._role = ""
        self._token_lock = threading.Lock()
        self._busy_until = 0.0
        self._status_listeners: list[Callable[[Connection], None]] = []
        self._last_connection: Connection | None = None
        self.breaker = Breaker(on_change=lambda _state: self._status_changed())
        self.queue = OfflineQueue(queue_path)
        self._menu_cache: dict[str, MenuItem] = {item.code: item for item in self.queue.cached_menu()}
        self._last_orders: list[OrderSummary] = []
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._probe_interval_s = probe_interval_s
        try:
            self._sign_in()
        except ServerUnreachable:
            log.warning("shop server %s unreachable at start: taking orders offline until it answers", self.url)
        except ServerBusy:   # shedding load, or a chain's balancer with no gateway up: sign in on the next call
            log.warning("shop server %s busy at start: signing in when it takes requests again", self.url)
        self.feed = EventFeed(self.url, self._auth_headers, on_auth_failure=self._sign_in, on_drop=self._wake.set)
        self._sender = threading.Thread(target=self._send_queued, name="sikdang-offline-queue", daemon=True)
        self._sender.start()
        self._wake.set()   # orders left from a previous run go out as soon as the server answers

    # -- plumbing -----------------------------------------------------------------------------------
    def _auth_headers(self) -> dict:
        # No token yet (started offline): send none; the 401 that follows signs in.
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def _sign_in(self) -> None:
        with self._token_lock:
            try:
                r = self._client.post("/auth/sign-in", json={"staffId": self._staff_id, "pin": self._pin})
            except _NETWORK_ERRORS as exc:
                self.breaker.trip()
                raise ServerUnreachable(f"offline — cannot reach the shop server at {self.url}") from exc
            if r.status_code in (502, 504):
                self.breaker.trip()
                raise ServerUnreachable(f"offline — the shop server behind {self.url} does not answer")
            if r.status_code != 200:
                body = _json(r)
                if r.status_code in (401, 423):
                    raise error_for(body.get("code", "bad_credentials"), body.get("message", "Sign-in refused"), 401)
                self._result(r)          # 503 busy, 422 malformed: the usual mapping
            self._token = r.json()["token"]
            self._role = r.json().get("role", "")

    def _call(self, method: str, path: str, *, json: dict | None = None, params: dict | None = None,
              headers: dict | None = None, token: str | None = None):
        """One call as the signed-in staff (or, with ``token``, as whoever that token is: a manager)."""
        if self.breaker.is_open:
            raise ServerUnreachable(f"offline — the shop server is unreachable ({len(self.queue)} waiting)")
        for attempt in (1, 2):
            try:
                auth = {"Authorization": f"Bearer {token}"} if token else self._auth_headers()
                r = self._client.request(method, path, json=json, params=params, headers={**auth, **(headers or {})})
            except _NETWORK_ERRORS as exc:
                self.breaker.trip()
                self._wake.set()
                raise ServerUnreachable("offline — the shop server is unreachable") from exc
            if r.status_code == 401 and attempt == 1 and token is None:
                # The server restarted and forgot our token: sign in again, once. Not for a call with its
                # own token (a manager's PIN being tried): trying it twice would count two wrong PINs.
                self._sign_in()
                continue
            if r.status_code in (502, 504):   # a gateway in front answers, the shop server behind it does not
                self.breaker.trip()
                self._wake.set()
                raise ServerUnreachable("offline — the shop server is unreachable behind its gateway")
            return self._result(r)

    def _result(self, r: httpx.Response):
        if r.status_code < 400:
            return r.json()
        body = _json(r)
        message = body.get("message") or f"HTTP {r.status_code}"
        if r.status_code == 503:
            retry_after = r.headers.get("retry-after", "1")
            self._busy_until = time.monotonic() + (float(retry_after) if retry_after.isdigit() else 1.0)
            self._status_changed()
            raise ServerBusy(BUSY)
        if r.status_code == 403:
            raise NotAllowed(message)
        if r.status_code == 401:
            raise SignInFailed(message)
        if r.status_code == 429:       # too many wrong PINs from this till: wait, the PIN was not checked
            retry_after = r.headers.get("retry-after", "1")
            raise PinsThrottled(message, int(retry_after) if retry_after.isdigit() else 1)
        raise error_for(body.get("code", ""), message, r.status_code)

    # -- the connection (part of the port) -----------------------------------------------------------
    def connection(self) -> Connection:
        waiting = len(self.queue)
        if time.monotonic() < self._busy_until:
            state = ConnectionState.BUSY
        elif self.breaker.is_open:
            state = ConnectionState.OFFLINE
        else:
            state = ConnectionState.SENDING if waiting else ConnectionState.ONLINE
        return Connection(state, waiting, remote=True, staff_role=self._role)

    def connection_status(self) -> str:
        """The connection for logs and tests: "online", "offline — N waiting", "busy — try again shortly"
        or "sending — N waiting"."""
        now = self.connection()
        if now.state is ConnectionState.BUSY:
            return BUSY
        return now.state if now.state is ConnectionState.ONLINE else f"{now.state} — {now.waiting} waiting"

    def watch_connection(self, callback: Callable[[Connection], None]) -> Callable[[], None]:
        self._status_listeners.append(callback)
        return lambda: self._status_listeners.remove(callback) if callback in self._status_listeners else None

    def _status_changed(self) -> None:
        now = self._last_connection = self.connection()
        for callback in list(self._status_listeners):
            try:
                callback(now)
            except Exception:
                log.exception("connection listener failed")

    # -- commands -----------------------------------------------------------------------------------
    def place_order(self, command: PlaceOrder) -> OrderReceipt:
        if not isinstance(command, PlaceOrder):
            raise InvalidInput(f"place_order takes a PlaceOrder, got {type(command).__name__}")
        if command.client_ref is None:      # a client-made id makes every send, and every resend, idempotent
            command = dataclasses.replace(command, client_ref=uuid.uuid4().hex)
        if not self.breaker.is_open:
            try:
                receipt = codec.receipt(self._call("POST", "/orders", json=codec.place_order_json(command)))
                self._remember_prices_later()
                return receipt
            except ServerUnreachable:
                pass                         # fall through to the queue: the counter keeps taking orders
        return self._queue_order(command)

    def _remember_prices_later(self) -> None:
        if not self._menu_cache:
            try:
                self.menu()
            except ShopError:
                pass

    # Each command is built as the domain command first: the same checks and messages as the local
    # shop, before any network, and the values sent are the command's normalised ones.
    def cancel_order(self, order_id: int, reason: str = "", staff: str = "") -> None:
        command = C.CancelOrder(order_id, reason, staff)   # the server records the signed-in staff
        self._call("POST", "/cancellations", json={"orderId": command.order_id, "reason": command.reason})

    def start_cooking(self, order_id: int) -> None:
        self._call("POST", f"/cooks/{C.StartCooking(order_id).order_id}/start")

    def finish_cooking(self, order_id: int) -> None:
        self._call("POST", f"/cooks/{C.FinishCooking(order_id).order_id}/finish")

    def recall_ticket(self, order_id: int) -> None:
        self._call("POST", f"/cooks/{C.RecallTicket(order_id).order_id}/recall")

    def pick_up(self, order_id: int, rider: str = "") -> None:
        command = C.PickUp(order_id, rider)
        self._call("POST", f"/deliveries/{command.order_id}/pickup", json={"rider": command.rider})

    def deliver(self, order_id: int) -> None:
        self._call("POST", f"/deliveries/{C.Deliver(order_id).order_id}/deliver")

    # With ``staff`` (a manager verified by verify_manager_pin) the call goes as that manager and the
    # server audits who and ``reason``; without, as the signed-in staff.
    def mark_sold_out(self, item_code: str, *, staff: str = "", reason: str = "") -> None:
        command = C.MarkSoldOut(item_code)
        self._call("POST", f"/cooks/menu/{_segment(command.item_code)}/sold-out", json={"reason": reason},
                   token=self._as_manager() if staff else None)

    def restock(self, item_code: str, quantity: int, *, staff: str = "", reason: str = "") -> None:
        command = C.Restock(item_code, quantity)
        self._call("POST", f"/cooks/menu/{_segment(command.item_code)}/restock",
                   json={"quantity": command.quantity, "reason": reason}, token=self._as_manager() if staff else None)

    def set_gift_stock(self, quantity: int, kind: str | None = None, *, staff: str = "", reason: str = "") -> None:
        command = C.SetGiftStock(quantity, kind)
        self._call("PUT", "/gifts/stock", json={"quantity": command.quantity, "giftKind": command.kind,
                                                "reason": reason}, token=self._as_manager() if staff else None)

    # -- queries ------------------------------------------------------------------------------------
    def menu(self) -> list[MenuItem]:
        """The server's menu; while it is away, the menu last seen with stock unknown (empty if never seen)."""
        try:
            items = [codec.menu_item(j) for j in self._call("GET", "/cooks/menu")]
        except ServerUnreachable:
            if not self._menu_cache:
                raise
            return [dataclasses.replace(item, stock_known=False) for item in self._menu_cache.values()]
        if _without_stock(items) != _without_stock(self._menu_cache.values()):
            self.queue.save_menu(items)          # names and prices changed: keep them for an offline start
        self._menu_cache = {item.code: item for item in items}   # prices for receipts of queued orders
        return items

    def gift_stock(self) -> GiftStock:
        return codec.gift_stock(self._call("GET", "/gifts/stock"))

    def kitchen_tickets(self) -> list[Ticket]:
        return [codec.ticket(j) for j in self._call("GET", "/cooks")]

    def delivery_board(self) -> DeliveryBoard:
        return codec.delivery_board(self._call("GET", "/deliveries"))

    def mypage(self, order_id: int) -> MypageCard:
        return codec.mypage(self._call("GET", f"/mypages/{C.order_id(order_id)}"))

    def mypage_by_phone(self, phone: str) -> list[MypageCard]:
        return [codec.mypage(j) for j in self._call("GET", "/mypages", params={"phone": C.normalize_phone(phone)})]

    def todays_orders(self) -> list[OrderSummary]:
        """The server's list (the last one seen while it is away) with this till's queued orders in it."""
        try:
            self._last_orders = [codec.summary(j) for j in self._call("GET", "/orders")]
        except ServerUnreachable:
            pass
        return self._with_till_orders(self._last_orders)

    async def place_order_async(self, command: PlaceOrder) -> OrderReceipt:
        """``place_order`` on a worker thread: the HTTP client here is a blocking one."""
        return await asyncio.to_thread(self.place_order, command)

    # -- live feed ----------------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[EventRecord], None], names: Collection[str] | None = None
                  ) -> Callable[[], None]:
        """The server's stream carries every event; ``names`` filters it here."""
        if names is None:
            return self.feed.subscribe(callback)
        wanted = frozenset(names)
        return self.feed.subscribe(lambda record: callback(record) if record.name in wanted else None)

    def describe(self) -> str:
        return f"server {self.url} as {self._staff_id}"

    def close(self) -> None:
        self._closing.set()
        self._wake.set()
        self.feed.close()
        self._sender.join(3.0)
        self._client.close()
        self.queue.close()


def _without_stock(items) -> list[MenuItem]:
    return [dataclasses.replace(item, stock=0, stock_known=True) for item in items]


def _segment(value: str) -> str:
    from urllib.parse import quote
    return quote(value, safe="")


def _json(r: httpx.Response) -> dict:
    try:
        body = r.json()
        return body if isinstance(body, dict) else {}
    except ValueError:
        return {}
