"""Delivery use cases (``handler(message, ctx)`` with ``ctx`` a ``DeliveryContext``).

Reactions to other contexts' events check the delivery's state first: a redelivered or late event
changes nothing. Commands let the model refuse an illegal transition with its message.
"""
from __future__ import annotations

from collections.abc import Callable

from services.commands import Deliver, PickUp
from services.delivery.context import DeliveryContext
from services.delivery.model import Delivery
from services.errors import UnknownOrder
from services.events import Cooked, CookRecalled, OrderCancelled, Ordered
from services.statuses import DeliveryStatus, OrderType

DEFAULT_RIDER = "Rider"


def on_ordered(event: Ordered, ctx: DeliveryContext) -> None:
    """Only a delivery order is prepared for the board: dine-in and takeout food never goes on it."""
    if event.order_type != OrderType.DELIVERY:
        return
    ctx.repo.add_if_new(Delivery(order_id=event.order_id, customer_name=event.customer_name,
                                 phone=event.phone, address=event.address))


def on_cooked(event: Cooked, ctx: DeliveryContext) -> None:
    delivery = ctx.repo.get(event.order_id)
    if delivery is not None and delivery.status == DeliveryStatus.PENDING:
        events = delivery.start(ctx.now)
        ctx.repo.save(delivery)
        ctx.emit_all(events)


def on_cook_recalled(event: CookRecalled, ctx: DeliveryContext) -> None:
    delivery = ctx.repo.get(event.order_id)
    if delivery is not None and delivery.status == DeliveryStatus.WAITING:
        events = delivery.withdraw()
        ctx.repo.save(delivery)
        ctx.emit_all(events)


def on_order_cancelled(event: OrderCancelled, ctx: DeliveryContext) -> None:
    delivery = ctx.repo.get(event.order_id)
    if delivery is not None and delivery.status == DeliveryStatus.PENDING:
        events = delivery.cancel()
        ctx.repo.save(delivery)
        ctx.emit_all(events)


def _delivery(ctx: DeliveryContext, order_id: int) -> Delivery:
    delivery = ctx.repo.get(order_id)
    if delivery is None:
        raise UnknownOrder(f"There is no delivery for order {order_id}")
    return delivery


def pick_up(command: PickUp, ctx: DeliveryContext) -> None:
    delivery = _delivery(ctx, command.order_id)
    events = delivery.pick_up(command.rider.strip() or DEFAULT_RIDER, ctx.now)
    ctx.repo.save(delivery)
    ctx.emit_all(events)


def deliver(command: Deliver, ctx: DeliveryContext) -> None:
    delivery = _delivery(ctx, command.order_id)
    events = delivery.deliver(ctx.now)
    ctx.repo.save(delivery)
    ctx.emit_all(events)


COMMAND_HANDLERS: dict[type, Callable] = {PickUp: pick_up, Deliver: deliver}
EVENT_HANDLERS: dict[type, Callable] = {Ordered: on_ordered, Cooked: on_cooked, CookRecalled: on_cook_recalled,
                                        OrderCancelled: on_order_cancelled}
