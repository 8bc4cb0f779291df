"""``PrintService``: the printing adapter, fed by the shop's events through the port.

Start it beside the screens (``main.py --printers FILE``) or on its own (``main.py printers run``);
it works the same on a local shop, a shop server or a chain, since it only uses the port's feed and
queries. One service per state file: a second one is refused (it would print every job twice).
"""
from __future__ import annotations

import dataclasses
import fcntl
import logging
import uuid
from pathlib import Path
from collections.abc import Callable

from services.errors import InvalidInput
from services.port import Shop
from services.printing.config import PrinterConfig, PrintingConfig
from services.printing.follower import FeedFollower, kitchen_split
from services.printing.jobs import RECEIPT, REPRINT, Job, JobStore
from services.printing.layouts import PrintOrder, receipt, ticket_maker
from services.printing.orders import OrderReader
from services.printing.slip import Slip
from services.printing.worker import PrinterWorker

log = logging.getLogger(__name__)


class PrintDesk:
    """What staff ask of printing (a receipt, a reprint, the waiting list): adds jobs to the store for
    the running service's workers. Usable beside a running service, e.g. from the command line.
    Threading: any thread; blocks on the shop's queries and a local commit, never on a printer."""

    def __init__(self, shop: Shop, config: PrintingConfig, store: JobStore,
                 wake: Callable[[], None] = lambda: None, orders: OrderReader | None = None) -> None:
        self.config, self.store = config, store
        self._orders = orders or OrderReader(shop)
        self._wake = wake

    def print_receipt(self, order_id: int, till_number: str = "") -> Job:
        """Queue the order's receipt on the receipt printer (a second one is marked as a copy).
        ``till_number``: the order was taken offline and told to the customer as that ("T-3")."""
        self._receipt_printer()
        order = dataclasses.replace(self._orders.order(order_id, with_card=True), till_number=till_number)
        return self.print_order_receipt(order)

    def print_order_receipt(self, order: PrintOrder) -> Job:
        """Queue the receipt of ``order`` as given: one still in a till's offline queue (a negative id,
        its till number), which the shop does not know yet."""
        printer = self._receipt_printer()
        with self.store.batch() as batch:
            job_id = batch.add(order.order_id, printer.name, RECEIPT, f"request:{uuid.uuid4()}",
                               lambda version: receipt(order, self.config.shop, printer.width, copy=version))
        self._wake()
        return self._job(job_id)

    def _receipt_printer(self) -> PrinterConfig:
        printer = self.config.receipt_printer
        if printer is None:
            raise InvalidInput("no receipt printer is set up (a printer with role = \"receipt\" in the printers file)")
        return printer

    def reprint(self, order_id: int) -> list[Job]:
        """Print the order's kitchen tickets again, marked REPRINT, on each kitchen printer concerned."""
        order = self._orders.order(order_id)
        shares = kitchen_split(self.config, order.lines)
        if not shares:
            raise InvalidInput(f"order {order_id} has nothing for any kitchen printer")
        cause = f"request:{uuid.uuid4()}"
        widths = {p.name: p.width for p in self.config.printers}
        with self.store.batch() as batch:
            for name, lines in shares.items():   # each slip bound to its own printer's lines
                batch.add(order_id, name, REPRINT, cause,
                          ticket_maker(order, lines, name, widths[name], banner="REPRINT"))
            added = list(batch.added)
        self._wake()
        return [self._job(job_id) for job_id in added]

    def preview_receipt(self, order_id: int) -> Slip:
        """The receipt as it would print now (nothing is queued)."""
        printer = self.config.receipt_printer
        return receipt(self._orders.order(order_id, with_card=True), self.config.shop, printer.width if printer else 48)

    def waiting(self) -> list[Job]:
        """Jobs not printed yet, oldest first (a printer that is off holds them back)."""
        return self.store.waiting()

    def _job(self, job_id: int | None) -> Job:
        return next(job for job in self.store.jobs() if job.id == job_id)


class PrintService(PrintDesk):
    """The running adapter: follows the feed and drives one worker per printer. One per state file."""

    def __init__(self, shop: Shop, config: PrintingConfig, state_path: Path) -> None:
        self.state_path = Path(state_path)
        self._lock_file = _take_lock(self.state_path)
        orders = OrderReader(shop)
        super().__init__(shop, config, JobStore(self.state_path), self._wake_all, orders)
        self._workers = {p.name: PrinterWorker(p, self.store, config.retry_first_s, config.retry_max_s)
                         for p in config.printers}
        self._follower = FeedFollower(shop, config, self.store, orders, on_jobs=self._wake_all)
        self._started = False

    def start(self) -> PrintService:
        for worker in self._workers.values():
            worker.start()
        self._follower.start()
        self._started = True
        log.info("printing: %s; jobs in %s", ", ".join(f"{p.name} ({p.role}) at {p.host}:{p.port}"
                                                       for p in self.config.printers), self.state_path)
        return self

    def close(self) -> None:
        if self._started:
            self._follower.close()
            for worker in self._workers.values():
                worker.close()
        self.store.close()
        self._lock_file.close()

    def _wake_all(self) -> None:
        for worker in getattr(self, "_workers", {}).values():
            worker.wake()


def _take_lock(state_path: Path):
    """Hold an exclusive lock beside the state file for the service's life (the OS drops it if killed)."""
    lock = open(state_path.with_name(state_path.name + ".lock"), "a+b")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise InvalidInput(f"another print service is already using {state_path}: "
                           "stop it first (two would print every ticket twice)") from None
    return lock
