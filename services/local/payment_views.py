"""Queries of the point of sale (bills, days, X and Z reports, menu categories) on a reader
connection, through the payments repository's own statements. Returns the port's views. The local
shop reads them from its SQLite file, the chain's payments service from its PostgreSQL schema."""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from sqlalchemy import Engine

from services.day_report import DayReport, build_report
from services.errors import DayNotOpen, InvalidTransition, UnknownOrder
from services.infra.sql import Sql
from services.local.views import when
from services.payments.model import Bill, Day, Payment
from services.payments.repository import PaymentsRepository
from services.port import BillView, BusinessDay, Category, PaymentReceipt, RefundLine, TenderLine
from services.statuses import DayStatus

T = TypeVar("T")


def bill_view(bill: Bill) -> BillView:
    tenders = tuple(TenderLine(kind=t["kind"], amount=t["amount"], tendered=t["tendered"], change=t["change"],
                               approval=t["approval"], last4=t["last4"], guest=t["guest"], staff=t["staff"],
                               at=when(t["at"])) for t in bill.tenders)
    refunds = tuple(RefundLine(kind=r["kind"], amount=r["amount"], staff=r["staff"], reason=r["reason"],
                               at=when(r["at"]), approval=r["approval"], last4=r["last4"]) for r in bill.refunds)
    return BillView(order_id=bill.order_id, order_type=bill.order_type, table=bill.table, guests=bill.guests,
                    total=bill.total, paid=bill.paid, balance=bill.balance, status=bill.status, tenders=tenders,
                    refunds=refunds, cash_receipt=bill.cash_receipt, day_id=bill.day_id)


def day_view(day: Day) -> BusinessDay:
    return BusinessDay(day_id=day.id or 0, status=day.status, opened_at=when(day.opened_at), opened_by=day.opened_by,
                       float_cash=day.float_cash, closed_at=when(day.closed_at), closed_by=day.closed_by,
                       counted_cash=day.counted_cash)


def payment_receipt(paid: Payment) -> PaymentReceipt:
    """What the counter shows for what a TakePayment did (change: this payment's; the bill after it)."""
    return PaymentReceipt(order_id=paid.order_id, amount=paid.amount, change=paid.change, balance=paid.balance,
                          status=paid.status)


class Reader(Protocol):
    """Runs ``work(sql)`` on a read connection; returns what ``work`` returned."""
    def __call__(self, work: Callable[[Sql], T], /) -> T: ...


def sqlite_reader(engine: Engine) -> Reader:
    def read(work: Callable[[Sql], T]) -> T:
        with engine.connect() as conn:
            return work(Sql(conn))
    return read


class PaymentViews:
    """The point of sale's queries over ``read(work)``, which runs ``work(sql)`` on a read connection
    (``sqlite_reader`` for the local shop; the chain's payments service passes its PostgreSQL reads):
    one implementation of every query, whatever holds the payments tables."""

    def __init__(self, read: Reader, clock: Callable[[], float]) -> None:
        self._reader, self._clock = read, clock

    def _read(self, query: Callable[[PaymentsRepository], T]) -> T:
        return self._reader(lambda sql: query(PaymentsRepository(sql)))

    def bill(self, order_id: int) -> BillView:
        bill = self._read(lambda repo: repo.bill(order_id))
        if bill is None:
            raise UnknownOrder(f"There is no order {order_id}")
        return bill_view(bill)

    def unpaid_bills(self) -> list[BillView]:
        def query(repo: PaymentsRepository):
            bills = (repo.bill(order_id) for order_id in repo.unpaid_order_ids())   # one read: all there
            return [bill_view(bill) for bill in bills if bill is not None]
        return self._read(query)

    def current_day(self) -> BusinessDay | None:
        day = self._read(lambda repo: repo.open_day())
        return day_view(day) if day else None

    def day(self, day_id: int) -> BusinessDay:
        day = self._read(lambda repo: repo.day(day_id))
        if day is None:
            raise InvalidTransition(f"There is no business day {day_id}")
        return day_view(day)

    def days(self) -> list[BusinessDay]:
        return [day_view(day) for day in self._read(lambda repo: repo.days())]

    def x_report(self) -> DayReport:
        def query(repo: PaymentsRepository):
            day = repo.open_day()
            if day is None:
                raise DayNotOpen("No day is open: open the day (개점) for an X report, or read a closed "
                                 "day's Z report")
            return build_report("X", day.__dict__, *repo.day_rows(day.id or 0), self._clock())
        return self._read(query)

    def z_report(self, day_id: int) -> DayReport:
        day = self._read(lambda repo: repo.day(day_id))
        if day is None:
            raise InvalidTransition(f"There is no business day {day_id}")
        if day.status != DayStatus.CLOSED or day.report is None:
            raise InvalidTransition(f"Day {day_id} is still open: its Z report comes when it is closed (마감); "
                                    "read the X report meanwhile")
        return DayReport.from_dict(day.report)

    def categories(self) -> list[Category]:
        """The menu's categories (ordering's table: read here only where one database holds them all)."""
        rows = self._reader(lambda sql: sql.all("SELECT code, name_ko, name_en, sort FROM menu_categories"
                                                " ORDER BY sort, code"))
        return [Category(*row) for row in rows]
