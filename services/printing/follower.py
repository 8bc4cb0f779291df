"""The feed follower: turns the shop's events into print jobs, each exactly once.

It reads the shop's events with ``events_since(position)`` from the position it stored, and uses
``subscribe`` only as a wake-up (plus a slow poll in case a wake-up is missed, e.g. while a remote
feed reconnects). One batch of events becomes one transaction: the jobs they make and the new
position are committed together, so after a crash the same events make no second job, and no event
is skipped. The first start begins at the shop's latest event: history is not printed.

Which events print what:
- a ticket reaches the kitchen (StockChecked in stock for an order due now; TicketReleased for an
  order placed for later): one ticket per kitchen printer, with the lines of its categories;
- CookCancelled: VOID on each kitchen printer that was sent (or may have been sent) the ticket; a
  ticket still waiting for its printer is withdrawn instead.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from services.errors import UnknownOrder
from services.events import CookCancelled, Ordered, StockChecked, TicketReleased
from services.port import EventRecord, Shop
from services.printing.config import PrintingConfig
from services.printing.jobs import TICKET, Batch, JobStore
from services.printing.layouts import PrintLine, PrintOrder, ticket_maker
from services.printing.orders import OrderReader

log = logging.getLogger(__name__)
POLL_S = 2.0          # a missed wake-up costs at most this long
RETRY_S = 2.0         # the shop did not answer a query: try the same batch again after this


def latest_position(shop: Shop) -> int:
    """The position of the shop's latest event (the port's own query once it has one, else searched)."""
    own = getattr(shop, "latest_position", None)
    if callable(own):
        return int(own())
    if not shop.events_since(0, 1):
        return 0
    low, high = 0, 1              # low: an event follows it; high: none does (found by doubling)
    while shop.events_since(high, 1):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if shop.events_since(middle, 1) else (low, middle)
    return high


def kitchen_split(config: PrintingConfig, lines: tuple[PrintLine, ...]) -> dict[str, tuple[PrintLine, ...]]:
    """Each kitchen printer's share of an order's lines, chosen by menu category."""
    shares: dict[str, list[PrintLine]] = {}
    for line in lines:
        printer = config.kitchen_printer_for(line.category)
        if printer is None:
            log.warning("no kitchen printer takes category %r (%s): not printed", line.category, line.name_en)
            continue
        shares.setdefault(printer.name, []).append(line)
    return {name: tuple(share) for name, share in shares.items()}


class FeedFollower:
    def __init__(self, shop: Shop, config: PrintingConfig, store: JobStore, orders: OrderReader,
                 on_jobs: Callable[[], None]) -> None:
        self._shop, self._config, self._store, self._orders = shop, config, store, orders
        self._on_jobs = on_jobs
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="print-feed", daemon=True)
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        """On the first start, fix the starting point before returning: what is ordered after this
        call prints (the thread would otherwise pick a head a moment later)."""
        self._unsubscribe = self._shop.subscribe(lambda _record: self._wake.set())
        if self._store.position() is None:
            try:
                self._begin_at_latest()
            except Exception:  # noqa: BLE001 - a shop server not reachable yet: the thread tries again
                log.warning("printing: the shop's latest event could not be read yet", exc_info=True)
        self._thread.start()

    def _begin_at_latest(self) -> int:
        position = latest_position(self._shop)
        with self._store.batch(position):
            pass
        log.info("printing: following the shop from event %d", position)
        return position

    def close(self) -> None:
        self._stopped.set()
        self._wake.set()
        if self._unsubscribe:
            self._unsubscribe()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        position = self._store.position()
        while not self._stopped.is_set():
            try:
                if position is None:
                    position = self._begin_at_latest()
                records = self._shop.events_since(position, 500)
                if records:
                    self.handle(records)
                    position = records[-1].position
                    continue
            except Exception:  # noqa: BLE001 - a shop that does not answer now will later; nothing is lost
                log.exception("printing: reading the shop's events failed; trying again")
                self._stopped.wait(RETRY_S)
                continue
            self._wake.wait(POLL_S)
            self._wake.clear()

    def handle(self, records: list[EventRecord]) -> None:
        """Make the jobs of ``records`` and move the position past them, in one transaction."""
        plans: list[tuple[str, int, PrintOrder | None]] = []
        for record in records:
            self._orders.remember(record)
            kind = self._what_to_print(record)
            if kind:
                plans.append((kind, record.position, self._order_or_none(record.order_id)))
        with self._store.batch(records[-1].position) as batch:
            for kind, position, order in plans:
                if order is not None:
                    self._plan(batch, kind, position, order)
            made = bool(batch.added)
        if made:
            self._on_jobs()

    def _what_to_print(self, record: EventRecord) -> str:
        event = record.event
        if isinstance(event, TicketReleased):
            return "ticket"
        if isinstance(event, StockChecked) and event.in_stock:
            ordered = self._ordered_or_none(record.order_id)
            due = ordered is not None and not (ordered.scheduled_for or 0) > record.at.timestamp()
            return "ticket" if due else ""   # an order for later prints when its ticket is released
        if isinstance(event, CookCancelled):
            return "void"
        return ""

    def _plan(self, batch: Batch, kind: str, position: int, order: PrintOrder) -> None:
        cause = f"event:{position}"
        for printer, lines in kitchen_split(self._config, order.lines).items():
            width = next(p.width for p in self._config.printers if p.name == printer)
            # each slip bound to its own printer's lines, whenever the batch lays it out
            if kind == "ticket" and not batch.has_ticket(order.order_id, printer):
                batch.add(order.order_id, printer, TICKET, cause,
                          ticket_maker(order, lines, printer, width))
            elif kind == "void":
                batch.void(order.order_id, printer, cause,
                           ticket_maker(order, lines, printer, width, banner="VOID"))

    def _ordered_or_none(self, order_id: int) -> Ordered | None:
        try:
            return self._orders.ordered(order_id)
        except UnknownOrder as error:   # unknown to the shop: nothing to print, and nothing to wait for
            log.error("printing: order %d cannot be read (%s); its slip is skipped", order_id, error)
            return None

    def _order_or_none(self, order_id: int) -> PrintOrder | None:
        return self._orders.order(order_id) if self._ordered_or_none(order_id) is not None else None
