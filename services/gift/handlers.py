"""Gift use cases (``handler(message, ctx)`` with ``ctx`` a ``GiftContext``). ``send_gift`` is the
target of the order side's synchronous call."""
from __future__ import annotations

from collections.abc import Callable

from services.commands import SendGift, SetGiftStock
from services.events import OrderCancelled
from services.gift.context import GiftContext
from services.gift.model import GiftOutcome
from services.statuses import GiftStatus


def send_gift(command: SendGift, ctx: GiftContext) -> GiftOutcome:
    existing = ctx.repo.get(command.order_id)
    if existing is not None:
        return GiftOutcome(existing.status, existing.kind)  # a retried call issues nothing new
    stock = ctx.repo.stock()
    gift, events = stock.send(command.order_id, ctx.now)
    if gift.status == GiftStatus.SENT:
        ctx.repo.save_stock(stock)
    ctx.emit_all(events)
    ctx.repo.add(gift)
    return gift.outcome


def on_order_cancelled(event: OrderCancelled, ctx: GiftContext) -> None:
    gift = ctx.repo.get(event.order_id)
    if gift is None or gift.status != GiftStatus.SENT:
        return  # no gift was sent, or it is already back: redelivery changes nothing
    events = gift.cancel(ctx.now)
    stock = ctx.repo.stock()
    if stock.take_back(gift):
        ctx.repo.save_stock(stock)
    ctx.repo.save(gift)
    ctx.emit_all(events)


def set_gift_stock(command: SetGiftStock, ctx: GiftContext) -> None:
    stock = ctx.repo.stock()
    events = stock.set(command.quantity, command.kind)
    ctx.repo.save_stock(stock)
    ctx.emit_all(events)


COMMAND_HANDLERS: dict[type, Callable] = {SendGift: send_gift, SetGiftStock: set_gift_stock}
EVENT_HANDLERS: dict[type, Callable] = {OrderCancelled: on_order_cancelled}
