"""Delivery use cases."""
from __future__ import annotations

from services.commands import Deliver, PickUp
from services.delivery.model import Delivery
from services.errors import UnknownOrder
from services.events import (Cooked, CookRecalled, Delivered, DeliveryCancelled, DeliveryStarted, OrderCancelled,
                             Ordered, PickedUp)

DEFAULT_RIDER = "Rider"


def on_ordered(event: Ordered, ctx) -> None:
    ctx.repo.add_if_new(Delivery(order_id=event.order_id, customer_name=event.customer_name,
                                 phone=event.phone, address=event.address))


def on_cooked(event: Cooked, ctx) -> None:
    delivery = ctx.repo.get(event.order_id)
    if delivery is not None and delivery.start(ctx.now):
        ctx.repo.save(delivery)
        ctx.emit(DeliveryStarted(order_id=delivery.order_id, address=delivery.address))


def on_cook_recalled(event: CookRecalled, ctx) -> None:
    delivery = ctx.repo.get(event.order_id)
    if delivery is not None and delivery.withdraw():
        ctx.repo.save(delivery)
        ctx.emit(DeliveryCancelled(order_id=delivery.order_id))


def on_order_cancelled(event: OrderCancelled, ctx) -> None:
    delivery = ctx.repo.get(event.order_id)
    if delivery is not None and delivery.cancel():
        ctx.repo.save(delivery)


def _delivery(ctx, order_id: int) -> Delivery:
    delivery = ctx.repo.get(order_id)
    if delivery is None:
        raise UnknownOrder(f"There is no delivery for order {order_id}")
    return delivery


def pick_up(command: PickUp, ctx) -> None:
    delivery = _delivery(ctx, command.order_id)
    delivery.pick_up(command.rider.strip() or DEFAULT_RIDER, ctx.now)
    ctx.repo.save(delivery)
    ctx.emit(PickedUp(order_id=delivery.order_id, rider=delivery.rider))


def deliver(command: Deliver, ctx) -> None:
    delivery = _delivery(ctx, command.order_id)
    delivery.deliver(ctx.now)
    ctx.repo.save(delivery)
    ctx.emit(Delivered(order_id=delivery.order_id))


COMMAND_HANDLERS = {PickUp: pick_up, Deliver: deliver}
EVENT_HANDLERS = {Ordered: on_ordered, Cooked: on_cooked, CookRecalled: on_cook_recalled,
                  OrderCancelled: on_order_cancelled}
