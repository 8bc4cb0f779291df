"""``LocalShop``: the ``Shop`` port on one SQLite file, in process. The offline default.

``ReplicaShop`` is the same shop seen from another process (a gateway worker of the shop server): it
reads the file itself and sends its commands to the owner's writer through a ``WriterLink``.
"""
from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Collection
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from services import commands as c
from services import payment_commands as pay
from services.day_report import DayReport
from services.errors import InvalidInput, NotSaved
from services.infra.bus import TransactionLost, UnitOfWork
from services.infra.db import Checkpointer, WriteLock, reader_engine, writer_engine
from services.infra.writer import DRAIN_ONLY, CommandWriter, Submitting
from services.infra.writer_link import WriterLink, WriterService
from services.local import schema
from services.local.bootstrap import GiftServiceFactory, InProcessGiftService, build_bus
from services.local.seed import seed_if_empty
from services.local.feed import LiveFeed
from services.local.manager import ManagerActions, StaffDirectory
from services.local.pages import ShopPages
from services.local.payment_views import PaymentViews, payment_receipt, sqlite_reader
from services.local.views import ShopViews
from services.ordering.repository import OrderingRepository
from services.port import (DEFAULT_PAGE_SIZE, AlwaysConnected, AsOf, BusinessDay, EventRecord, OrderReceipt,
                           PaymentReceipt)

log = logging.getLogger(__name__)
T = TypeVar("T")


@contextmanager
def _refused_writes():
    """A write the database refused (disk full, I/O error, the transaction undone) reaches the caller
    as ``NotSaved``, which says that nothing was taken, not as the driver's own exception."""
    try:
        yield
    except (TransactionLost, sqlite3.DatabaseError, DBAPIError) as exc:
        raise NotSaved.because(str(getattr(exc, "orig", None) or exc).split("\n")[0][:120]) from exc


def _receipt(uow: UnitOfWork, order_id: int) -> OrderReceipt:
    """Read back, inside the committing transaction, what the whole saga made of the order."""
    order = OrderingRepository(uow.sql).receipt_fields(order_id)
    cancelled = order["status"] == "cancelled"
    gift_status = "cancelled" if cancelled and order["gift_status"] == "sent" else order["gift_status"]
    return OrderReceipt(order_id=order["id"], status="cancelled" if cancelled else "placed", total=order["total"],
                        gift_kind=order["gift_kind"] if gift_status == "sent" else None, gift_status=gift_status,
                        reason=order["reason"], client_ref=order["client_ref"])


class _ShopOnFile(ManagerActions, AlwaysConnected):
    """The port over a shop file: queries and the feed read it; commands go to ``self._writer``; the
    manager's PIN, audit and staff list are the staff directory's (``services.local.manager``)."""
    _writer: Submitting

    def __init__(self, path: Path, clock: Callable[[], float]) -> None:
        self.path = Path(path)
        self._clock = clock
        engine = reader_engine(self.path)
        self._views = ShopViews(engine, clock)
        self._pages = ShopPages(self._views, clock)
        self._pos = PaymentViews(sqlite_reader(engine), clock)
        self._feed = LiveFeed(self.path)
        self._closers: list[Callable[[], None]] = []

    # -- commands -------------------------------------------------------------------------------
    def execute(self, command):
        """Run any command (including housekeeping ones) through the writer; returns its handler's result."""
        with _refused_writes():
            return self._writer.execute(command)

    def place_order(self, command: c.PlaceOrder) -> OrderReceipt:
        if not isinstance(command, c.PlaceOrder):
            raise InvalidInput(f"place_order takes a PlaceOrder, got {type(command).__name__}")
        with _refused_writes():
            return self._writer.execute(command, _receipt)

    async def place_order_async(self, command: c.PlaceOrder) -> OrderReceipt:
        """``place_order`` from an event loop (the shop server's busiest route), without a thread per call."""
        with _refused_writes():
            return await self._writer.execute_async(command, _receipt)

    def cancel_order(self, order_id: int, reason: str = "", staff: str = "") -> None:
        self.execute(c.CancelOrder(order_id, reason, staff))

    def start_cooking(self, order_id: int) -> None:
        self.execute(c.StartCooking(order_id))

    def finish_cooking(self, order_id: int) -> None:
        self.execute(c.FinishCooking(order_id))

    def recall_ticket(self, order_id: int) -> None:
        self.execute(c.RecallTicket(order_id))

    def pick_up(self, order_id: int, rider: str = "") -> None:
        self.execute(c.PickUp(order_id, rider))

    def deliver(self, order_id: int) -> None:
        self.execute(c.Deliver(order_id))

    def mark_sold_out(self, item_code: str, *, staff: str = "", reason: str = "") -> None:
        self._audited(staff, "sold_out", item_code, reason, c.MarkSoldOut(item_code))

    def restock(self, item_code: str, quantity: int, *, staff: str = "", reason: str = "") -> None:
        self._audited(staff, "restock", f"{item_code} +{quantity}", reason, c.Restock(item_code, quantity))

    def set_gift_stock(self, quantity: int, kind: str | None = None, *, staff: str = "", reason: str = "") -> None:
        self._audited(staff, "gift_stock", f"{quantity} {kind or ''}".strip(), reason, c.SetGiftStock(quantity, kind))

    # -- the point of sale ------------------------------------------------------------------------
    def take_payment(self, order_id: int, tenders, cash_receipt: str = "", staff: str = "",
                     client_ref: str | None = None) -> PaymentReceipt:
        return payment_receipt(self.execute(pay.TakePayment(order_id, tuple(tenders or ()), cash_receipt, staff,
                                                            client_ref)))

    def open_day(self, float_cash: int, staff: str = "") -> BusinessDay:
        return self._pos.day(self.execute(pay.OpenDay(float_cash, staff)))

    def close_day(self, counted_cash: int, staff: str = "") -> DayReport:
        return DayReport.from_dict(self.execute(pay.CloseDay(counted_cash, staff)))

    def bill(self, order_id: int):
        return self._pos.bill(c.order_id(order_id))

    def unpaid_bills(self):
        return self._pos.unpaid_bills()

    def current_day(self):
        return self._pos.current_day()

    def days(self):
        return self._pos.days()

    def x_report(self) -> DayReport:
        return self._pos.x_report()

    def z_report(self, day_id: int) -> DayReport:
        return self._pos.z_report(c.position(day_id, "Day number"))

    def categories(self):
        return self._pos.categories()

    # -- queries ----------------------------------------------------------------------------------
    def menu(self):
        return self._views.menu()

    def gift_stock(self):
        return self._views.gift_stock()

    def kitchen_tickets(self):
        return self._views.kitchen_tickets()

    def delivery_board(self):
        return self._views.delivery_board()

    def mypage(self, order_id: int):
        return self._views.mypage(c.order_id(order_id))

    def mypage_by_phone(self, phone: str):
        return self._views.mypage_by_phone(phone)

    def todays_orders(self):
        return self._views.todays_orders()

    # Paged queries and single items: the port's, one page per read (services.local.pages).
    def orders_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE):
        return self._pages.orders_page(page, size)

    def order_summary(self, order_id: int):
        return self._pages.order_summary(order_id)

    def tickets_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE):
        return self._pages.tickets_page(page, size)

    def ticket(self, order_id: int):
        return self._pages.ticket(order_id)

    def deliveries_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE):
        return self._pages.deliveries_page(page, size)

    def delivery(self, order_id: int):
        return self._pages.delivery(order_id)

    def gifts_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE):
        return self._pages.gifts_page(page, size)

    def gift(self, order_id: int):
        return self._pages.gift(order_id)

    def mypages_page(self, page: int = 0, size: int = DEFAULT_PAGE_SIZE):
        return self._pages.mypages_page(page, size)

    def events_since(self, position: int, limit: int = 500) -> list[EventRecord]:
        return self._views.events_since(c.position(position), c.position(limit, "Event count"))

    def latest_position(self) -> int:
        return self._views.latest_position()

    def as_of(self, query: Callable[[], T]) -> AsOf[T]:
        return self._views.as_of(query)

    # -- live feed --------------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[EventRecord], None], names: Collection[str] | None = None
                  ) -> Callable[[], None]:
        """The port's live feed; ``names`` limits it to those events, which is cheaper here."""
        return self._feed.subscribe(callback, names)

    def describe(self) -> str:
        return f"Local shop · {self.path}"

    def add_closer(self, closer: Callable[[], None]) -> None:
        """Run ``closer`` when the shop closes, once its writer has stopped (e.g. stop its scheduler)."""
        self._closers.append(closer)

    def close(self) -> None:
        # The writer first: it finishes what is queued and publishes it (the scheduler still hears of a
        # just-scheduled order); then what was attached to the shop, such as the scheduler, stops.
        self._writer.close()
        self._feed.close()  # publishes what the writer committed last
        for closer in reversed(self._closers):
            closer()
        self._closers.clear()
        self._views.dispose()


class LocalShop(_ShopOnFile):
    """Owns the file: upgrades and seeds it, and runs its writer and checkpoints."""
    _writer: CommandWriter   # its own, in this process (shared with others by share_writer)

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time, seed_menu: bool = True,
                 gift_service: GiftServiceFactory = InProcessGiftService,
                 staff: StaffDirectory | None = None) -> None:
        schema.upgrade(Path(path))
        self._writer_engine = writer_engine(Path(path))
        if seed_menu:
            with self._writer_engine.begin() as conn:
                seed_if_empty(conn)
        super().__init__(path, clock)
        self._staff = staff     # e.g. services.http.staff_file.StaffFile (main.py's); None: no manager PINs
        self._write_lock = WriteLock(self.path)
        self._checkpointer = Checkpointer(self.path, self._write_lock)
        self._writer = CommandWriter(self._writer_engine, build_bus(gift_service), clock, self._feed.notify,
                                     write_lock=self._write_lock)
        self._writer.start()
        self._writer.execute(DRAIN_ONLY)  # catch up on events a crash left unhandled

    def share_writer(self, address: str | None = None, authkey: bytes | None = None) -> WriterService:
        """Let other processes (the server's gateway workers) send commands to this shop's writer,
        at ``address`` with ``authkey`` if given (workers that outlive this process reconnect there)."""
        service = WriterService(self._writer, address=address, authkey=authkey)
        self.add_closer(service.close)
        return service

    def close(self) -> None:
        super().close()
        self._checkpointer.close()
        self._writer_engine.dispose()
        self._write_lock.close()


class ReplicaShop(_ShopOnFile):
    """The owner's shop from another process: reads here, writes through the owner's writer."""

    def __init__(self, path: Path, writer: WriterLink, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(path, clock)
        self._writer = writer
