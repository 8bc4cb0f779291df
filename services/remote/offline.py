"""The counter's offline behaviour, mixed into RemoteShop: queue an order while the server is away,
and the background thread that probes the server and sends the queue, oldest first.

Kept apart from the HTTP mapping in shop.py; it uses RemoteShop's ``_call``, ``breaker``, ``queue``,
``_menu_cache`` and status plumbing.
"""
from __future__ import annotations

import logging
import time

import httpx

from services.commands import PlaceOrder
from services.errors import ShopError, UnknownItem
from services.port import OrderReceipt
from services.remote import codec
from services.remote.errors import NotAllowed, ServerBusy, ServerUnreachable, SignInFailed
from services.remote.queue import Pending

log = logging.getLogger(__name__)


class OfflineOrders:
    def _queue_order(self, command: PlaceOrder) -> OrderReceipt:
        total = 0
        for line in command.lines:
            item = self._menu_cache.get(line.item_code)
            if self._menu_cache and item is None:
                raise UnknownItem(f"Unknown menu item {line.item_code!r}")
            total += (item.price if item else 0) * line.quantity
        seq = self.queue.put(command)
        self._wake.set()
        self._status_changed()
        # A negative id: unique on this terminal (screens key rows by order id) and never a server's.
        return OrderReceipt(order_id=-seq, status="queued", total=total, gift_kind=None, gift_status="deferred",
                            reason="offline — the order will be sent when the server is back",
                            client_ref=command.client_ref)

    # -- the offline queue's sender -----------------------------------------------------------------
    def _send_queued(self) -> None:
        """Background thread: probe the server while the breaker is open; send queued orders, oldest first."""
        while not self._closing.is_set():
            self._wake.wait(self._probe_interval_s)
            self._wake.clear()
            if self._closing.is_set():
                return
            if self.breaker.is_open and not self._probe():
                continue
            while not self._closing.is_set() and not self.breaker.is_open and self._busy_until <= time.monotonic():
                item = self.queue.oldest()
                if item is None:
                    break
                self._send_one(item)

    def _probe(self) -> bool:
        try:
            ok = self._client.get("/health", timeout=1.0).status_code == 200
        except httpx.TransportError:
            return False
        if ok:
            self.breaker.reset()
        return ok

    def _send_one(self, item: Pending) -> None:
        self.queue.attempted(item.seq)
        try:
            receipt = codec.receipt(self._call("POST", "/orders", json=codec.place_order_json(item.command)))
        except (ServerUnreachable, ServerBusy):
            return                            # stays queued; the breaker or busy flag paces the retry
        except (NotAllowed, SignInFailed) as exc:
            log.warning("queued order %s not sent: %s", item.client_ref, exc)
            self._closing.wait(2.0)           # staff must sign in with a counter role; keep the order
            return
        except ShopError as exc:
            log.warning("server refused queued order %s: %s", item.client_ref, exc)
            self.queue.mark_rejected(item, exc.code, exc.message)
            self._status_changed()
            return
        self.queue.mark_sent(item, receipt.order_id, receipt.status)
        self._status_changed()

