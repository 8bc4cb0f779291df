"""The bill and the business day. Pure Python.

    Bill:  OPEN --pay (the whole balance)--> PAID;   OPEN --pay (part: a split)--> OPEN
           OPEN, PAID --cancel (the order was cancelled)--> CANCELLED, every tender refunded
    Day:   OPEN --close--> CLOSED (for good: its Z report is kept and nothing in it changes)
    Payment: what one TakePayment did, its answer; kept under its client_ref, so a retry is answered
           the same and nothing is taken twice

Transitions raise ``InvalidTransition`` (or ``InvalidInput`` for an amount that does not fit) and
return the events they cause; the handlers emit them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from services.errors import AlreadyPaid, InvalidInput, InvalidTransition, PaymentRefused
from services.events import DayClosed, DayOpened, Event, Ordered, PaymentRefunded, PaymentTaken
from services.payment_commands import TakePayment, Tender
from services.statuses import BillStatus, DayStatus, OrderType


@dataclass
class Bill:
    order_id: int
    order_type: OrderType
    total: int
    lines: list[dict]
    placed_at: float
    day_id: int | None = None
    table: int | None = None
    guests: int = 0
    status: BillStatus = BillStatus.OPEN
    paid: int = 0
    refunded: int = 0
    gift_kind: str = ""
    cancel_reason: str = ""
    cancelled_by: str = ""
    cancelled_at: float | None = None
    cash_receipt: str = ""
    tenders: list[dict] = field(default_factory=list)    # as taken; ``new`` ones are not stored yet
    refunds: list[dict] = field(default_factory=list)

    @classmethod
    def for_order(cls, ordered: Ordered, day_id: int | None) -> Bill:
        return cls(order_id=ordered.order_id, order_type=OrderType(ordered.order_type), total=ordered.total,
                   lines=list(ordered.lines), placed_at=ordered.placed_at, day_id=day_id, table=ordered.table,
                   guests=ordered.guests)

    @property
    def balance(self) -> int:
        """What is still due (nothing once cancelled)."""
        return 0 if self.status == BillStatus.CANCELLED else self.total - self.paid

    def pay(self, tenders: tuple[Tender, ...], day_id: int, now: float, cash_receipt: str = "",
            staff: str = "") -> list[Event]:
        if self.status == BillStatus.CANCELLED:
            raise InvalidTransition(f"Order {self.order_id} is cancelled: there is nothing to pay")
        if self.status == BillStatus.PAID:
            raise AlreadyPaid(f"Order {self.order_id} is already paid in full")
        amount = sum(t.amount for t in tenders)
        if amount > self.balance:
            raise PaymentRefused(f"₩{amount:,} is more than the ₩{self.balance:,} still due on order {self.order_id}"
                               " (cash over the amount is change: give it as tendered)")
        taken = [{**t.to_dict(), "day_id": day_id, "staff": staff, "at": now, "new": True} for t in tenders]
        self.tenders += taken
        self.paid += amount
        if cash_receipt:
            self.cash_receipt = cash_receipt
        if self.paid == self.total:
            self.status = BillStatus.PAID
        return [PaymentTaken(order_id=self.order_id, day_id=day_id, tenders=tuple(t.to_dict() for t in tenders),
                             amount=amount, balance=self.balance, cash_receipt=cash_receipt, staff=staff)]

    def cancel(self, reason: str, staff: str, day_id: int | None, now: float) -> list[Event]:
        """The order was cancelled: each tender's amount goes back the way it came, recorded in the
        day open now (``day_id``; None: no day is open, the next one takes the refund)."""
        if self.status == BillStatus.CANCELLED:
            raise InvalidTransition(f"Order {self.order_id}'s bill is already cancelled")
        self.status, self.cancel_reason, self.cancelled_by, self.cancelled_at = (
            BillStatus.CANCELLED, reason, staff, now)
        back = [{"kind": t["kind"], "amount": t["amount"], "approval": t["approval"], "last4": t["last4"]}
                for t in self.tenders]
        if not back:
            return []
        self.refunds += [{**r, "day_id": day_id, "staff": staff, "reason": reason, "at": now, "new": True}
                         for r in back]
        self.refunded = sum(r["amount"] for r in back)
        return [PaymentRefunded(order_id=self.order_id, day_id=day_id or 0, refunds=tuple(back),
                                amount=self.refunded, reason=reason, staff=staff)]


@dataclass(frozen=True)
class Payment:
    """The answer to one ``TakePayment``: what it paid, the change, the bill's balance and status after it.
    ``tenders`` are the tenders as asked (``Tender.to_dict()``), to tell a retry from another payment."""
    order_id: int
    amount: int
    change: int
    balance: int
    status: BillStatus
    tenders: tuple[dict, ...] = ()
    client_ref: str | None = None

    @classmethod
    def taken(cls, command: TakePayment, bill: Bill) -> Payment:
        return cls(order_id=bill.order_id, amount=command.amount, change=command.change, balance=bill.balance,
                   status=bill.status, tenders=tuple(t.to_dict() for t in command.tenders),
                   client_ref=command.client_ref)

    def again(self, command: TakePayment) -> Payment:
        """This payment's answer for ``command`` sent again with its client_ref; InvalidInput if
        ``command`` asks for another payment under the same ref (nothing is taken either way)."""
        if command.order_id != self.order_id or [t.to_dict() for t in command.tenders] != list(self.tenders):
            raise InvalidInput(f"clientRef {self.client_ref!r} was already used for another payment (order "
                               f"{self.order_id}, ₩{self.amount:,}): a new payment needs a new clientRef")
        return self


@dataclass
class Day:
    id: int | None
    opened_at: float
    opened_by: str
    float_cash: int
    status: DayStatus = DayStatus.OPEN
    closed_at: float | None = None
    closed_by: str = ""
    counted_cash: int | None = None
    report: dict | None = None            # the Z report as closed (``DayReport.to_dict()``)

    @classmethod
    def open(cls, float_cash: int, staff: str, now: float) -> Day:
        return cls(id=None, opened_at=now, opened_by=staff, float_cash=float_cash)

    def opened(self, day_id: int) -> list[Event]:
        self.id = day_id
        return [DayOpened(order_id=0, day_id=day_id, float_cash=self.float_cash, staff=self.opened_by)]

    def close(self, report: dict, counted_cash: int, staff: str, now: float) -> list[Event]:
        if self.status == DayStatus.CLOSED or self.id is None:
            raise InvalidTransition(f"Day {self.id} is already closed: its Z report can be read, not changed")
        self.status, self.closed_at, self.closed_by, self.counted_cash, self.report = (
            DayStatus.CLOSED, now, staff, counted_cash, report)
        return [DayClosed(order_id=0, day_id=self.id, expected_cash=report["expected_cash"],
                          counted_cash=counted_cash, staff=staff)]
