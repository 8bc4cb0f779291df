"""Ordering use cases. ``ctx`` gives the ordering repository, the clock, ``emit`` and the gift service."""
from __future__ import annotations

import logging

from services.commands import CancelOrder, PlaceOrder, RetryDeferredGifts
from services.errors import UnknownOrder
from services.events import Cooked, CookRecalled, GiftDeferred, GiftSendCancelled, Ordered, StockChecked
from services.ordering.model import CANCELLED, COOKED, PLACED, Order

# A reason nobody typed is stored as a code ("@" + key) that each screen shows in its reader's language.
DEFAULT_CANCEL_REASON = "@customer_request"

log = logging.getLogger(__name__)


def place_order(command: PlaceOrder, ctx) -> int:
    if command.client_ref:
        existing = ctx.repo.id_for_client_ref(command.client_ref)
        if existing is not None:
            return existing  # the same client-made id places one order, however often it is sent
    menu = ctx.repo.menu_entries({line.item_code for line in command.lines})
    order = Order.place(command, menu, ctx.now)
    order.id = ctx.repo.add(order)
    ctx.emit(Ordered(order_id=order.id, customer_name=order.customer_name, phone=order.phone,
                     address=order.address, lines=tuple(order.lines), total=order.total,
                     placed_at=order.placed_at, scheduled_for=order.scheduled_for))
    _send_gift(order, ctx)
    ctx.repo.save(order)
    return order.id


def _send_gift(order: Order, ctx) -> None:
    """The seed's synchronous order -> gift call, with its fallback: the order never fails for its gift."""
    try:
        outcome = ctx.gift_service.send(order.id)
    except Exception as exc:  # noqa: BLE001 - any failure of the gift side defers the gift
        attempts = order.defer_gift()
        log.warning("gift for order %s deferred (attempt %s): %s", order.id, attempts, exc)
        ctx.emit(GiftDeferred(order_id=order.id, error=str(exc) or type(exc).__name__, attempts=attempts))
        return
    order.record_gift(outcome.status, outcome.kind)


def retry_deferred_gifts(_command: RetryDeferredGifts, ctx) -> int:
    """Retry every deferred gift; returns how many are still deferred."""
    still_deferred = 0
    for order in ctx.repo.orders_with_deferred_gift():
        if order.status == CANCELLED:  # the gift was never sent: record (and tell mypage) it never will be
            order.record_gift("cancelled")
            ctx.emit(GiftSendCancelled(order_id=order.id, gift_kind=""))
        else:
            _send_gift(order, ctx)
            still_deferred += order.gift_status == "deferred"
        ctx.repo.save(order)
    return still_deferred


def cancel_order(command: CancelOrder, ctx) -> int:
    order = _get(ctx, command.order_id)
    order.cancel(command.reason.strip() or DEFAULT_CANCEL_REASON, by="customer")
    ctx.repo.save(order)
    ctx.emit_all(order.events)
    return order.id


def on_stock_checked(event: StockChecked, ctx) -> None:
    if event.in_stock:
        return
    order = ctx.repo.get(event.order_id)
    if order is None or order.status != PLACED:
        return  # already cancelled: redelivery changes nothing
    names = [line["name_en"] for line in order.lines if line["item_code"] in event.missing]
    order.cancel(f"Out of stock: {', '.join(names) or ', '.join(event.missing)}", by="kitchen")
    ctx.repo.save(order)
    ctx.emit_all(order.events)


def on_cooked(event: Cooked, ctx) -> None:
    order = ctx.repo.get(event.order_id)
    if order is not None and order.status == PLACED:
        order.mark_cooked()
        ctx.repo.save(order)


def on_cook_recalled(event: CookRecalled, ctx) -> None:
    """A recalled order is back on the stove, not cooked: it may be cancelled again, as mypage and the
    kitchen now show it "cooking" (the rule: an order can be cancelled until its food is cooked)."""
    order = ctx.repo.get(event.order_id)
    if order is not None and order.status == COOKED:
        order.status = PLACED
        ctx.repo.save(order)


def _get(ctx, order_id: int) -> Order:
    order = ctx.repo.get(order_id)
    if order is None:
        raise UnknownOrder(f"There is no order {order_id}")
    return order


COMMAND_HANDLERS = {PlaceOrder: place_order, CancelOrder: cancel_order, RetryDeferredGifts: retry_deferred_gifts}
EVENT_HANDLERS = {StockChecked: on_stock_checked, Cooked: on_cooked, CookRecalled: on_cook_recalled}
