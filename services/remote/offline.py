"""The counter's offline behaviour, mixed into RemoteShop: queue an order while the server is away,
and the background thread that probes the server and sends the queue, oldest first.

Kept apart from the HTTP mapping in shop.py; it uses RemoteShop's ``_call``, ``breaker``, ``queue``,
``_menu_cache`` and status plumbing.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import httpx

from services.commands import PlaceOrder
from services.errors import InvalidInput, InvalidTransition, ShopError, UnknownItem
from services.port import Connection, MenuItem, OrderReceipt, OrderSummary
from services.remote import codec
from services.remote.breaker import Breaker
from services.remote.errors import NotAllowed, ServerBusy, ServerUnreachable, SignInFailed
from services.remote.queue import OfflineQueue, Pending, till_number

log = logging.getLogger(__name__)


PROBE_TIMEOUT_S = 0.6


class OfflineOrders:
    _slow_probes = 0          # /health probes in a row that timed out
    # What it uses of RemoteShop (set in its __init__, or its methods), declared for the type checker.
    queue: OfflineQueue
    breaker: Breaker
    _client: httpx.Client
    _menu_cache: dict[str, MenuItem]
    _wake: threading.Event
    _closing: threading.Event
    _probe_interval_s: float
    _busy_until: float
    _last_connection: Connection | None
    _call: Callable[..., Any]
    _status_changed: Callable[[], None]
    connection: Callable[[], Connection]
    def _total(self, command: PlaceOrder) -> int:
        total = 0
        for line in command.lines:
            item = self._menu_cache.get(line.item_code)
            if self._menu_cache and item is None:
                raise UnknownItem(f"Unknown menu item {line.item_code!r}")
            total += (item.price if item else 0) * line.quantity
        return total

    def _queue_order(self, command: PlaceOrder) -> OrderReceipt:
        total = self._total(command)
        seq = self.queue.put(command)
        self._wake.set()
        self._status_changed()
        # A negative id: unique on this terminal (screens key rows by order id) and never a server's.
        return OrderReceipt(order_id=-seq, status="queued", total=total, gift_kind=None, gift_status="deferred",
                            reason="offline — the order will be sent when the server is back",
                            client_ref=command.client_ref, till_number=till_number(seq))

    def _with_till_orders(self, orders: list[OrderSummary]) -> list[OrderSummary]:
        """Today's orders as the till knows them, newest first: the queued ones (status "queued", a
        negative id, their till number) and, for those sent since, the server's row with the till
        number and the time the customer ordered."""
        sent = self.queue.sent_from_till()
        listed = []
        for order in orders:
            if order.order_id in sent:
                number, at = sent[order.order_id]
                order = dataclasses.replace(order, till_number=number, placed_at=_aware(at))
            listed.append(order)
        for item in self.queue.waiting():
            command = item.command
            listed.append(OrderSummary(order_id=-item.seq, customer_name=command.customer_name, phone=command.phone,
                                       total=self._total(command), status="queued", placed_at=_aware(item.queued_at),
                                       scheduled_for=command.scheduled_for, till_number=item.till_number))
        return sorted(listed, key=lambda o: o.placed_at, reverse=True)

    # -- the offline queue's sender -----------------------------------------------------------------
    def _send_queued(self) -> None:
        """Background thread: probe the server every ``_probe_interval_s`` (and when woken: a failed call,
        the event stream dropping), tell listeners when the connection changed, send queued orders."""
        while not self._closing.is_set():
            self._wake.wait(self._probe_interval_s)
            self._wake.clear()
            if self._closing.is_set():
                return
            reachable = self._probe()
            if self.connection() != self._last_connection:
                self._status_changed()           # e.g. a busy spell ended, or the probe changed the breaker
            if not reachable:
                continue
            while not self._closing.is_set() and not self.breaker.is_open and self._busy_until <= time.monotonic():
                item = self.queue.oldest()
                if item is None:
                    break
                self._send_one(item)

    def _probe(self) -> bool:
        """One cheap GET /health: opens the breaker when the server is away, closes it when it is back.
        A refused connection counts at once; a slow answer only the second time running, so a busy
        machine's hiccup does not send the counter offline (two probes still fit in the 2 s promise)."""
        try:
            ok = self._client.get("/health", timeout=PROBE_TIMEOUT_S).status_code not in (502, 504)
            slow = False
        except httpx.TimeoutException:
            ok, slow = False, True
        except httpx.TransportError:
            ok, slow = False, False
        self._slow_probes = self._slow_probes + 1 if slow else 0
        if ok:
            self.breaker.reset()
        elif not slow or self._slow_probes >= 2:
            self.breaker.trip()
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
        except (InvalidInput, InvalidTransition) as exc:   # the order itself: sending it again changes nothing
            log.warning("server refused queued order %s: %s", item.client_ref, exc)
            self.queue.mark_rejected(item, exc.code, exc.message)
            self._status_changed()
            return
        except ShopError as exc:   # the server failed (not saved, an error of its own): keep it, its clientRef
            log.warning("queued order %s not taken yet, kept: %s", item.client_ref, exc)   # makes a resend safe
            self._closing.wait(2.0)
            return
        self.queue.mark_sent(item, receipt.order_id, receipt.status)
        self._status_changed()


def _aware(epoch_s: float) -> datetime:
    return datetime.fromtimestamp(epoch_s, timezone.utc)

