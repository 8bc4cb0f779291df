"""Kitchen use cases: stock check on a new order, the ticket's life, sold out and restock."""
from __future__ import annotations

from services.commands import (FinishCooking, FlagLateTickets, MarkSoldOut, RecallTicket, ReleaseDueTickets,
                               ReleaseScheduledTicket, Restock, StartCooking)
from services.errors import UnknownItem, UnknownOrder
from services.events import (CookCancelled, Cooked, CookRecalled, CookStarted, ItemSoldOut, OrderCancelled,
                             Ordered, PickedUp, Restocked, StockChecked, TicketLate, TicketReleased,
                             TicketScheduled)
from services.kitchen.model import COOKING, QUEUED, REJECTED, SCHEDULED, Ticket, demand_of, missing_items


def on_ordered(event: Ordered, ctx) -> None:
    demand = demand_of(event.lines)
    missing = missing_items(demand, ctx.repo.on_hand(demand.keys()))
    scheduled = event.scheduled_for is not None and event.scheduled_for > ctx.now
    ticket = Ticket(order_id=event.order_id, lines=list(event.lines), created_at=ctx.now,
                    status=REJECTED if missing else SCHEDULED if scheduled else QUEUED,
                    release_at=event.scheduled_for if scheduled else None)
    # A rejected ticket is kept too, so a redelivered Ordered is recognised here and changes nothing.
    if not ctx.repo.add_if_new(ticket):
        return
    if not missing:
        ctx.repo.take(demand)  # all lines at once, in the same transaction as the check
    ctx.emit(StockChecked(order_id=event.order_id, in_stock=not missing, missing=missing))
    if scheduled and not missing:
        ctx.emit(TicketScheduled(order_id=event.order_id, release_at=event.scheduled_for))


def on_order_cancelled(event: OrderCancelled, ctx) -> None:
    ticket = ctx.repo.get(event.order_id)
    if ticket is None or ticket.status not in (SCHEDULED, QUEUED, COOKING):
        return  # nothing left to cancel (never made, already cancelled, or already cooked)
    stock_returned = ticket.cancel(ctx.now)
    if stock_returned:
        ctx.repo.give_back(demand_of(ticket.lines))
    ctx.repo.save(ticket)
    ctx.emit(CookCancelled(order_id=ticket.order_id, stock_returned=stock_returned))


def on_picked_up(event: PickedUp, ctx) -> None:
    ticket = ctx.repo.get(event.order_id)
    if ticket is not None and ticket.collect():
        ctx.repo.save(ticket)


def _ticket(ctx, order_id: int) -> Ticket:
    ticket = ctx.repo.get(order_id)
    if ticket is None:
        raise UnknownOrder(f"There is no kitchen ticket for order {order_id}")
    return ticket


def start_cooking(command: StartCooking, ctx) -> None:
    ticket = _ticket(ctx, command.order_id)
    ticket.start(ctx.now)
    ctx.repo.save(ticket)
    ctx.emit(CookStarted(order_id=ticket.order_id))


def finish_cooking(command: FinishCooking, ctx) -> None:
    ticket = _ticket(ctx, command.order_id)
    ticket.finish(ctx.now)
    ctx.repo.save(ticket)
    ctx.emit(Cooked(order_id=ticket.order_id))


def recall_ticket(command: RecallTicket, ctx) -> None:
    ticket = _ticket(ctx, command.order_id)
    ticket.recall()
    ctx.repo.save(ticket)
    ctx.emit(CookRecalled(order_id=ticket.order_id))


RELEASED_LATE_S = 60   # a scheduled ticket reaching the kitchen this long after its time is flagged late


def release_scheduled_ticket(command: ReleaseScheduledTicket, ctx) -> None:
    ticket = _ticket(ctx, command.order_id)
    due_at = ticket.release_at
    if ticket.release(ctx.now):
        # the shop was closed (or down) at its time: the cook must see the customer already waits
        ticket.late = due_at is not None and ctx.now - due_at > RELEASED_LATE_S
        ctx.repo.save(ticket)
        ctx.emit(TicketReleased(order_id=ticket.order_id))
        if ticket.late:
            ctx.emit(TicketLate(order_id=ticket.order_id, age_s=round(ctx.now - due_at, 1)))


def release_due_tickets(_command: ReleaseDueTickets, ctx) -> int:
    due = ctx.repo.scheduled_due(ctx.now)
    for ticket in due:
        release_scheduled_ticket(ReleaseScheduledTicket(ticket.order_id), ctx)
    return len(due)


def flag_late_tickets(command: FlagLateTickets, ctx) -> int:
    candidates = ctx.repo.late_candidates(created_before=ctx.now - command.threshold_s)
    late = [t for t in candidates if t.is_late(ctx.now, command.threshold_s)]
    for ticket in late:
        ticket.late = True
        ctx.repo.save(ticket)
        ctx.emit(TicketLate(order_id=ticket.order_id, age_s=round(ctx.now - ticket.created_at, 1)))
    return len(late)


def mark_sold_out(command: MarkSoldOut, ctx) -> None:
    if ctx.repo.set_on_hand(command.item_code, 0) is None:
        raise UnknownItem(f"Unknown menu item: {command.item_code}")
    ctx.emit(ItemSoldOut(order_id=0, item_code=command.item_code))


def restock(command: Restock, ctx) -> None:
    on_hand = ctx.repo.add_on_hand(command.item_code, command.quantity)
    if on_hand is None:
        raise UnknownItem(f"Unknown menu item: {command.item_code}")
    ctx.emit(Restocked(order_id=0, item_code=command.item_code, quantity=command.quantity, on_hand=on_hand))


COMMAND_HANDLERS = {
    StartCooking: start_cooking, FinishCooking: finish_cooking, RecallTicket: recall_ticket,
    ReleaseScheduledTicket: release_scheduled_ticket, ReleaseDueTickets: release_due_tickets,
    FlagLateTickets: flag_late_tickets, MarkSoldOut: mark_sold_out, Restock: restock,
}
EVENT_HANDLERS = {Ordered: on_ordered, OrderCancelled: on_order_cancelled, PickedUp: on_picked_up}
