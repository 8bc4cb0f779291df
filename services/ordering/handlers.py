"""Ordering use cases: ``handler(message, ctx)`` with ``ctx`` an ``OrderingContext``."""
from __future__ import annotations

import logging
from collections.abc import Callable

from services.commands import CancelOrder, PlaceOrder, RetryDeferredGifts
from services.errors import UnknownOrder
from services.events import CookRecalled, Cooked, StockChecked
from services.menu_commands import SaveCategory, SaveMenuItem
from services.ordering.context import OrderingContext
from services.ordering.menu import save_category, save_menu_item
from services.ordering.model import Order
from services.statuses import CancelledBy, GiftStatus, OrderStatus

# A reason nobody typed is stored as a code ("@" + key) that each screen shows in its reader's language.
DEFAULT_CANCEL_REASON = "@customer_request"
OUT_OF_STOCK_REASON = "@out_of_stock:"     # + the missing item codes, comma-separated

log = logging.getLogger(__name__)


def place_order(command: PlaceOrder, ctx: OrderingContext) -> int:
    if command.client_ref:
        existing = ctx.repo.id_for_client_ref(command.client_ref)
        if existing is not None:
            return existing  # the same client-made id places one order, however often it is sent
    menu = ctx.repo.menu_entries({line.item_code for line in command.lines})
    order = Order.place(command, menu, ctx.now)
    ctx.emit_all(order.numbered(ctx.repo.add(order)))
    _send_gift(order, ctx)
    ctx.repo.save(order)
    return order.number


def _send_gift(order: Order, ctx: OrderingContext) -> None:
    """The seed's synchronous order -> gift call, with its fallback: the order never fails for its gift."""
    try:
        outcome = ctx.gift_service.send(order.number)
    except Exception as exc:  # noqa: BLE001 - any failure of the gift side defers the gift
        events = order.defer_gift(str(exc) or type(exc).__name__)
        log.warning("gift for order %s deferred (attempt %s): %s", order.id, order.gift_attempts, exc)
        ctx.emit_all(events)
        return
    ctx.emit_all(order.record_gift(outcome.status, outcome.kind))


def retry_deferred_gifts(_command: RetryDeferredGifts, ctx: OrderingContext) -> int:
    """Retry every deferred gift; returns how many are still deferred."""
    still_deferred = 0
    for order in ctx.repo.orders_with_deferred_gift():
        if order.status == OrderStatus.CANCELLED:  # never sent: record (and tell mypage) it never will be
            ctx.emit_all(order.give_up_gift())
        else:
            _send_gift(order, ctx)
            still_deferred += order.gift_status == GiftStatus.DEFERRED
        ctx.repo.save(order)
    return still_deferred


def cancel_order(command: CancelOrder, ctx: OrderingContext) -> int:
    order = _get(ctx, command.order_id)
    events = order.cancel(command.reason.strip() or DEFAULT_CANCEL_REASON, by=CancelledBy.CUSTOMER,
                          staff=command.staff)
    ctx.repo.save(order)
    ctx.emit_all(events)
    return order.number


def on_stock_checked(event: StockChecked, ctx: OrderingContext) -> None:
    if event.in_stock:
        return
    order = ctx.repo.get(event.order_id)
    if order is None or order.status != OrderStatus.PLACED:
        return  # already cancelled: redelivery changes nothing
    # a code, not a sentence: each screen words it in its reader's language from the menu names
    events = order.cancel(OUT_OF_STOCK_REASON + ",".join(event.missing), by=CancelledBy.KITCHEN)
    ctx.repo.save(order)
    ctx.emit_all(events)


def on_cooked(event: Cooked, ctx: OrderingContext) -> None:
    order = ctx.repo.get(event.order_id)
    if order is not None and order.status == OrderStatus.PLACED:  # a redelivered Cooked changes nothing
        ctx.emit_all(order.mark_cooked())
        ctx.repo.save(order)


def on_cook_recalled(event: CookRecalled, ctx: OrderingContext) -> None:
    """A recalled order is back on the stove, not cooked: it may be cancelled again, as mypage and the
    kitchen show it "cooking" (the rule: an order can be cancelled until its food is cooked)."""
    order = ctx.repo.get(event.order_id)
    if order is not None and order.status == OrderStatus.COOKED:   # a redelivered recall changes nothing
        ctx.emit_all(order.reopen())
        ctx.repo.save(order)


def _get(ctx: OrderingContext, order_id: int) -> Order:
    order = ctx.repo.get(order_id)
    if order is None:
        raise UnknownOrder(f"There is no order {order_id}")
    return order


COMMAND_HANDLERS: dict[type, Callable] = {
    PlaceOrder: place_order, CancelOrder: cancel_order, RetryDeferredGifts: retry_deferred_gifts,
    SaveCategory: save_category, SaveMenuItem: save_menu_item}
EVENT_HANDLERS: dict[type, Callable] = {StockChecked: on_stock_checked, Cooked: on_cooked,
                                        CookRecalled: on_cook_recalled}
