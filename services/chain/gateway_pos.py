"""The point of sale over the chain, mixed into ``ChainShop``: payments, the business day and its X
and Z reports from the payments service; the manager's menu (categories and items) from ordering,
which owns the catalogue. Each command is built as the domain command first (the same checks and
messages as the local shop, before any network); the answers are the services' wire JSON decoded by
``services/remote/codec.py``, or the same dataclasses the local shop returns.

The staff list is the gateway's own staff file (``StaffDirectory``), as the shop server's is its own: no
service is involved, and the manager's PIN is checked against the same file.

The counter's order list shows each order's type, table and what is still due: the local shop joins
its bills to mypage's rows in SQL; here ``_with_bills`` asks payments for the bills of the orders on
the page (one call) and joins them at the gateway.

Payments hears of an order from the stream, after ordering has answered: a bill asked for at once
may not exist yet for a moment (``bill`` waits for it), and an order's bill status and refunds follow
its payment or cancel by as long as the stream takes (the screens refresh from the live feed).
"""
from __future__ import annotations

import dataclasses
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from services import commands as C
from services import payment_commands as P
from services.chain.gateway_calls import ServiceCalls
from services.day_report import DayReport
from services.errors import InvalidInput, ShopError, UnknownOrder
from services.local.manager import StaffList
from services.menu_commands import SaveCategory, SaveMenuItem
from services.port import BillView, BusinessDay, Category, OrderSummary, PaymentReceipt
from services.remote import codec

log = logging.getLogger(__name__)

BILL_WAIT_S = 3.0


class ChainPointOfSale(StaffList):
    """Needs ``_command(command)``, ``_view(context, path)``, ``calls`` and ``_staff`` from ``ChainShop``."""
    _no_staff_file = "This gateway has no staff file: manager PINs and staff cannot be checked here"

    _command: Callable[..., Any]
    _view: Callable[..., Any]
    calls: ServiceCalls

    # -- commands -----------------------------------------------------------------------------------
    def take_payment(self, order_id: int, tenders: Sequence[P.Tender], cash_receipt: str = "",
                     staff: str = "", client_ref: str | None = None) -> PaymentReceipt:
        """With the till's ``client_ref`` (the gateway makes one if it gave none) the payment is taken once
        however often it is sent, so the gateway sends it again when a replica died mid-request."""
        command = P.TakePayment(order_id, tuple(tenders or ()), cash_receipt, staff,
                                uuid.uuid4().hex if client_ref is None else client_ref)
        return PaymentReceipt(**self._command(command, repeatable=True))

    def open_day(self, float_cash: int, staff: str = "") -> BusinessDay:
        day_id = self._command(P.OpenDay(float_cash, staff))
        day = codec.business_day(self._view("payments", f"/views/days/{day_id}"))
        assert day is not None, "the day just opened is there"
        return day

    def close_day(self, counted_cash: int, staff: str = "") -> DayReport:
        return DayReport.from_dict(self._command(P.CloseDay(counted_cash, staff)))

    def save_category(self, category: SaveCategory) -> None:
        if not isinstance(category, SaveCategory):
            raise InvalidInput(f"save_category takes a SaveCategory, got {type(category).__name__}")
        self._command(category)

    def save_menu_item(self, item: SaveMenuItem) -> None:
        if not isinstance(item, SaveMenuItem):
            raise InvalidInput(f"save_menu_item takes a SaveMenuItem, got {type(item).__name__}")
        self._command(item)

    # -- queries ------------------------------------------------------------------------------------
    def bill(self, order_id: int) -> BillView:
        """The order's bill. Payments makes it when it hears of the order on the stream, which may be a
        moment after ordering answered the till (the counter opens the payment dialog at once): an order
        payments does not know yet is asked again for up to ``BILL_WAIT_S`` before UnknownOrder."""
        path, deadline = f"/views/bills/{C.order_id(order_id)}", time.monotonic() + BILL_WAIT_S
        while True:
            try:
                return codec.bill(self._view("payments", path))
            except UnknownOrder:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def unpaid_bills(self) -> list[BillView]:
        return [codec.bill(j) for j in self._view("payments", "/views/bills/unpaid")]

    def current_day(self) -> BusinessDay | None:
        return codec.business_day(self._view("payments", "/views/days/current"))

    def days(self) -> list[BusinessDay]:
        return [day for j in self._view("payments", "/views/days") if (day := codec.business_day(j)) is not None]

    def x_report(self) -> DayReport:
        return codec.day_report(self._view("payments", "/views/days/current/x-report"))

    def z_report(self, day_id: int) -> DayReport:
        return codec.day_report(self._view("payments", f"/views/days/{C.position(day_id, 'Day number')}/z-report"))

    def categories(self) -> list[Category]:
        return [codec.category(j) for j in self._view("ordering", "/views/categories")]

    def _with_bills(self, summaries: Sequence[OrderSummary]) -> list[OrderSummary]:
        """``summaries`` (mypage's) with each order's type, table, bill status and balance (payments').
        Payments unreachable: the list as mypage has it (the counter's list matters more than its notes)."""
        if not summaries:
            return list(summaries)
        try:
            notes = self.calls.call("payments", "POST", "/views/bill-notes", json=[s.order_id for s in summaries],
                                    repeatable=True)
        except ShopError as exc:
            log.warning("today's orders without their bills: %s", exc)
            return list(summaries)
        by_order = {n["orderId"]: n for n in notes}
        return [dataclasses.replace(s, order_type=n["orderType"], table=n["table"], bill_status=n["billStatus"],
                                    balance=n["balance"]) if (n := by_order.get(s.order_id)) else s
                for s in summaries]
