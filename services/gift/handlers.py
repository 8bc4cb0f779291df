"""Gift use cases. ``send_gift`` is the target of the order side's synchronous call."""
from __future__ import annotations

from services.commands import SendGift, SetGiftStock
from services.events import GiftOutOfStock, GiftSendCancelled, GiftSent, GiftStockSet, OrderCancelled
from services.gift.model import OUT_OF_STOCK, SENT, Gift, GiftOutcome


def send_gift(command: SendGift, ctx) -> GiftOutcome:
    existing = ctx.repo.get(command.order_id)
    if existing is not None:
        return GiftOutcome(existing.status, existing.kind)  # a retried call issues nothing new
    stock = ctx.repo.stock()
    if stock.take_one():
        ctx.repo.save_stock(stock)
        gift = Gift(order_id=command.order_id, kind=stock.kind, status=SENT, sent_at=ctx.now)
        ctx.emit(GiftSent(order_id=gift.order_id, gift_kind=gift.kind))
    else:
        gift = Gift(order_id=command.order_id, kind=stock.kind, status=OUT_OF_STOCK)
        ctx.emit(GiftOutOfStock(order_id=gift.order_id))
    ctx.repo.add(gift)
    return GiftOutcome(gift.status, gift.kind if gift.status == SENT else "")


def on_order_cancelled(event: OrderCancelled, ctx) -> None:
    gift = ctx.repo.get(event.order_id)
    if gift is None or not gift.cancel(ctx.now):
        return
    stock = ctx.repo.stock()
    if stock.kind == gift.kind:  # a gift of a kind no longer handed out is not restocked
        stock.quantity += 1
        ctx.repo.save_stock(stock)
    ctx.repo.save(gift)
    ctx.emit(GiftSendCancelled(order_id=gift.order_id, gift_kind=gift.kind))


def set_gift_stock(command: SetGiftStock, ctx) -> None:
    stock = ctx.repo.stock()
    stock.quantity = command.quantity
    stock.kind = command.kind.strip() if command.kind else stock.kind
    ctx.repo.save_stock(stock)
    ctx.emit(GiftStockSet(order_id=0, gift_kind=stock.kind, quantity=stock.quantity))


COMMAND_HANDLERS = {SendGift: send_gift, SetGiftStock: set_gift_stock}
EVENT_HANDLERS = {OrderCancelled: on_order_cancelled}
