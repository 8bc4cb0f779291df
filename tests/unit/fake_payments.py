"""The payments context's tables as dicts (``tests.unit.fakes``: the fakes of every repository)."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from services.payments.model import Bill, Day, Payment
from services.statuses import BillStatus, DayStatus

if TYPE_CHECKING:
    from tests.unit.fakes import Tables


class FakePaymentsRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def bill(self, order_id: int) -> Bill | None:
        bill = copy.deepcopy(self.t.bills.get(order_id))
        if bill is not None:
            bill.tenders = [dict(t) for t in self.t.tenders if t["order_id"] == order_id]
            bill.refunds = [dict(r) for r in self.t.refunds if r["order_id"] == order_id]
        return bill

    def add_bill_if_new(self, bill: Bill) -> None:
        self.t.bills.setdefault(bill.order_id, copy.deepcopy(bill))

    def save_bill(self, bill: Bill) -> None:
        self.t.tenders += [{**t, "order_id": bill.order_id} for t in bill.tenders if t.pop("new", False)]
        self.t.refunds += [{**r, "order_id": bill.order_id} for r in bill.refunds if r.pop("new", False)]
        self.t.bills[bill.order_id] = copy.deepcopy(bill)

    def payment(self, client_ref: str) -> Payment | None:
        return self.t.payments.get(client_ref)

    def add_payment(self, payment: Payment, at: float) -> None:
        assert payment.client_ref not in self.t.payments, "the table's primary key refuses a second row"
        self.t.payments[payment.client_ref] = payment

    def note_gift(self, order_id: int, gift_kind: str) -> None:
        if order_id in self.t.bills:
            self.t.bills[order_id].gift_kind = gift_kind

    def open_day(self) -> Day | None:
        return next((copy.deepcopy(d) for d in self.t.days.values() if d.status == DayStatus.OPEN), None)

    def add_day(self, day: Day) -> int:
        day_id = max(self.t.days, default=0) + 1
        self.t.days[day_id] = copy.deepcopy(day)
        self.t.days[day_id].id = day_id
        return day_id

    def save_day(self, day: Day) -> None:
        self.t.days[day.id] = copy.deepcopy(day)

    def adopt_strays(self, day_id: int) -> None:
        for row in [*self.t.bills.values()]:
            if row.day_id is None:
                row.day_id = day_id
        for refund in self.t.refunds:
            if refund["day_id"] is None:
                refund["day_id"] = day_id

    def day_rows(self, day_id: int) -> tuple[list[dict], list[dict], list[dict]]:
        bills = [{**b.__dict__, "status": str(b.status)} for b in self.t.bills.values() if b.day_id == day_id]
        return (bills, [t for t in self.t.tenders if t["day_id"] == day_id],
                [r for r in self.t.refunds if r["day_id"] == day_id])

    def unpaid(self) -> list[int]:
        return [b.order_id for b in self.t.bills.values() if b.status == BillStatus.OPEN]
