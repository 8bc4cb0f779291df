"""Payments use cases (``handler(message, ctx)`` with ``ctx`` a ``PaymentsContext``).

Reactions to other contexts' events check the bill first, so a redelivered event changes nothing.
Commands refuse what the day does not allow: no payment without an open day, and a closed day is
never opened again or changed (its Z report is kept as it was).
"""
from __future__ import annotations

from collections.abc import Callable

from services.day_report import build_report
from services.errors import DayAlreadyOpen, DayNotOpen, UnknownOrder
from services.events import GiftSendCancelled, GiftSent, OrderCancelled, Ordered
from services.payment_commands import CloseDay, OpenDay, TakePayment
from services.payments.context import PaymentsContext
from services.payments.model import Bill, Day, Payment
from services.statuses import BillStatus

DAY_NOT_OPEN = "The day is not open (개점): open it with the cash float before taking payments"


def on_ordered(event: Ordered, ctx: PaymentsContext) -> None:
    day = ctx.repo.open_day()
    ctx.repo.add_bill_if_new(Bill.for_order(event, day.id if day else None))


def on_order_cancelled(event: OrderCancelled, ctx: PaymentsContext) -> None:
    bill = ctx.repo.bill(event.order_id)
    if bill is None or bill.status == BillStatus.CANCELLED:
        return
    day = ctx.repo.open_day()
    events = bill.cancel(event.reason, event.staff or event.by, day.id if day else None, ctx.now)
    ctx.repo.save_bill(bill)
    ctx.emit_all(events)


def on_gift_sent(event: GiftSent, ctx: PaymentsContext) -> None:
    # One statement, not the bill read and saved: this runs for nearly every order placed.
    ctx.repo.note_gift(event.order_id, event.gift_kind)


def on_gift_send_cancelled(event: GiftSendCancelled, ctx: PaymentsContext) -> None:
    ctx.repo.note_gift(event.order_id, "")


def take_payment(command: TakePayment, ctx: PaymentsContext) -> Payment:
    """Returns what the payment did (the bill's balance and status after it). A command whose
    client_ref was taken before is answered as it was then, and nothing is taken again."""
    if command.client_ref and (done := ctx.repo.payment(command.client_ref)) is not None:
        return done.again(command)
    day = ctx.repo.open_day()
    if day is None or day.id is None:
        raise DayNotOpen(DAY_NOT_OPEN)
    bill = ctx.repo.bill(command.order_id)
    if bill is None:
        raise UnknownOrder(f"There is no order {command.order_id}")
    events = bill.pay(command.tenders, day.id, ctx.now, command.cash_receipt, command.staff)
    ctx.repo.save_bill(bill)
    payment = Payment.taken(command, bill)
    if command.client_ref:
        ctx.repo.add_payment(payment, ctx.now)
    ctx.emit_all(events)
    return payment


def open_day(command: OpenDay, ctx: PaymentsContext) -> int:
    current = ctx.repo.open_day()
    if current is not None:
        raise DayAlreadyOpen(f"Day {current.id} is already open: close it (마감) before opening another")
    day = Day.open(command.float_cash, command.staff, ctx.now)
    events = day.opened(ctx.repo.add_day(day))
    ctx.repo.adopt_strays(day.id or 0)
    ctx.emit_all(events)
    return day.id or 0


def close_day(command: CloseDay, ctx: PaymentsContext) -> dict:
    """Close the open day; returns its Z report (``DayReport.to_dict()``), which is kept with it."""
    day = ctx.repo.open_day()
    if day is None or day.id is None:
        raise DayNotOpen("No day is open: there is nothing to close (a closed day's Z report can be read "
                                "again)")
    bills, tenders, refunds = ctx.repo.day_rows(day.id)
    report = build_report("Z", day.__dict__, bills, tenders, refunds, ctx.now, command.counted_cash,
                          command.staff).to_dict()
    events = day.close(report, command.counted_cash, command.staff, ctx.now)
    ctx.repo.save_day(day)
    ctx.emit_all(events)
    return report


COMMAND_HANDLERS: dict[type, Callable] = {TakePayment: take_payment, OpenDay: open_day, CloseDay: close_day}
EVENT_HANDLERS: dict[type, Callable] = {Ordered: on_ordered, OrderCancelled: on_order_cancelled,
                                        GiftSent: on_gift_sent, GiftSendCancelled: on_gift_send_cancelled}
