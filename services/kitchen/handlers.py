"""Kitchen use cases (``handler(message, ctx)`` with ``ctx`` a ``KitchenContext``): the stock check on a
new order, the ticket's life, sold out and restock."""
from __future__ import annotations

from collections.abc import Callable

from services.commands import (FinishCooking, FlagLateTickets, MarkSoldOut, RecallTicket, ReleaseDueTickets,
                               ReleaseScheduledTicket, Restock, StartCooking)
from services.errors import UnknownItem, UnknownOrder
from services.events import ItemSoldOut, MenuItemSaved, OrderCancelled, Ordered, PickedUp, Restocked
from services.kitchen.context import KitchenContext
from services.kitchen.model import CANCELLABLE, Ticket, demand_of
from services.statuses import TicketStatus


def on_ordered(event: Ordered, ctx: KitchenContext) -> None:
    demand = demand_of(event.lines)
    ticket, events = Ticket.open(event, ctx.repo.on_hand(demand.keys()), ctx.now)
    if not ctx.repo.add_if_new(ticket):
        return  # a redelivered Ordered: its ticket exists, and its stock was taken once
    if ticket.takes_stock:
        ctx.repo.take(demand)  # all lines at once, in the same transaction as the check
    ctx.emit_all(events)


def on_order_cancelled(event: OrderCancelled, ctx: KitchenContext) -> None:
    ticket = ctx.repo.get(event.order_id)
    if ticket is None or ticket.status not in CANCELLABLE:
        return  # nothing left to cancel (never made, already cancelled, or already cooked)
    events = ticket.cancel(ctx.now)
    if events[0].stock_returned:
        ctx.repo.give_back(demand_of(ticket.lines))
    ctx.repo.save(ticket)
    ctx.emit_all(events)


def on_menu_item_saved(event: MenuItemSaved, ctx: KitchenContext) -> None:
    """The manager added an item: the kitchen keeps its stock from now on."""
    if event.new:
        ctx.repo.open_stock(event.code, event.initial_stock)


def on_picked_up(event: PickedUp, ctx: KitchenContext) -> None:
    ticket = ctx.repo.get(event.order_id)
    if ticket is not None and ticket.status == TicketStatus.COOKED:  # a redelivered PickedUp changes nothing
        ctx.emit_all(ticket.collect())
        ctx.repo.save(ticket)


def _ticket(ctx: KitchenContext, order_id: int) -> Ticket:
    ticket = ctx.repo.get(order_id)
    if ticket is None:
        raise UnknownOrder(f"There is no kitchen ticket for order {order_id}")
    return ticket


def start_cooking(command: StartCooking, ctx: KitchenContext) -> None:
    ticket = _ticket(ctx, command.order_id)
    events = ticket.start(ctx.now)
    ctx.repo.save(ticket)
    ctx.emit_all(events)


def finish_cooking(command: FinishCooking, ctx: KitchenContext) -> None:
    ticket = _ticket(ctx, command.order_id)
    events = ticket.finish(ctx.now)
    ctx.repo.save(ticket)
    ctx.emit_all(events)


def recall_ticket(command: RecallTicket, ctx: KitchenContext) -> None:
    ticket = _ticket(ctx, command.order_id)
    events = ticket.recall()
    ctx.repo.save(ticket)
    ctx.emit_all(events)


def release_scheduled_ticket(command: ReleaseScheduledTicket, ctx: KitchenContext) -> None:
    ticket = _ticket(ctx, command.order_id)
    events = ticket.release(ctx.now)
    if events:
        ctx.repo.save(ticket)
        ctx.emit_all(events)


def release_due_tickets(_command: ReleaseDueTickets, ctx: KitchenContext) -> int:
    due = ctx.repo.scheduled_due(ctx.now)
    for ticket in due:
        release_scheduled_ticket(ReleaseScheduledTicket(ticket.order_id), ctx)
    return len(due)


def flag_late_tickets(command: FlagLateTickets, ctx: KitchenContext) -> int:
    candidates = ctx.repo.late_candidates(created_before=ctx.now - command.threshold_s)
    late = [t for t in candidates if t.is_late(ctx.now, command.threshold_s)]
    for ticket in late:
        events = ticket.flag_late(ctx.now, command.threshold_s)
        ctx.repo.save(ticket)
        ctx.emit_all(events)
    return len(late)


def mark_sold_out(command: MarkSoldOut, ctx: KitchenContext) -> None:
    if ctx.repo.set_on_hand(command.item_code, 0) is None:
        raise UnknownItem(f"Unknown menu item: {command.item_code}")
    ctx.emit(ItemSoldOut(order_id=0, item_code=command.item_code))


def restock(command: Restock, ctx: KitchenContext) -> None:
    on_hand = ctx.repo.add_on_hand(command.item_code, command.quantity)
    if on_hand is None:
        raise UnknownItem(f"Unknown menu item: {command.item_code}")
    ctx.emit(Restocked(order_id=0, item_code=command.item_code, quantity=command.quantity, on_hand=on_hand))


COMMAND_HANDLERS: dict[type, Callable] = {
    StartCooking: start_cooking, FinishCooking: finish_cooking, RecallTicket: recall_ticket,
    ReleaseScheduledTicket: release_scheduled_ticket, ReleaseDueTickets: release_due_tickets,
    FlagLateTickets: flag_late_tickets, MarkSoldOut: mark_sold_out, Restock: restock,
}
EVENT_HANDLERS: dict[type, Callable] = {Ordered: on_ordered, OrderCancelled: on_order_cancelled,
                                        MenuItemSaved: on_menu_item_saved,
                                        PickedUp: on_picked_up}
