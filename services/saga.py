"""The order saga, written once: its steps, who takes each, what each emits, and how each is undone.

An order's saga is choreographed (each context reacts to the events of the others, through the bus
here and through the broker in the chain), so no coordinator runs this table. It is the contract the
handlers keep: ``tests/unit/test_saga.py`` checks that every reaction below is a handler of its
context (and that no handler reacts to anything that is not here), and runs each row as a
given/expect table on the in-memory bus.

Compensations all start from ``OrderCancelled``, which the customer causes (``CancelOrder``) or the
kitchen does (``StockChecked`` with a line out of stock). Once ``Cooked`` the order cannot be
cancelled, unless the kitchen recalls the food (``CookRecalled`` reopens it); once the rider has the
food (``PickedUp``) nothing goes back: that is the pivot.
"""
from __future__ import annotations

from dataclasses import dataclass

from services.commands import CancelOrder, Deliver, FinishCooking, PickUp, PlaceOrder, RecallTicket, SendGift
from services.events import (CookCancelled, Cooked, CookRecalled, Delivered, DeliveryCancelled, DeliveryStarted,
                             Event, GiftDeferred, GiftOutOfStock, GiftSendCancelled, GiftSent, MenuItemSaved,
                             OrderCancelled, Ordered, PaymentRefunded, PaymentTaken, PickedUp, StockChecked,
                             TicketScheduled)
from services.payment_commands import TakePayment


@dataclass(frozen=True)
class Action:
    """``context`` does ``does`` when it gets ``on`` (a command, or another context's event)."""
    context: str
    on: type
    does: str
    emits: tuple[type[Event], ...] = ()


@dataclass(frozen=True)
class Step:
    action: Action
    compensations: tuple[Action, ...] = ()
    pivot: bool = False   # once done, the saga only goes forward


ORDER_SAGA: tuple[Step, ...] = (
    Step(Action("ordering", PlaceOrder, "take the order", (Ordered,)),
         (Action("ordering", CancelOrder, "the customer cancels the order", (OrderCancelled,)),
          Action("ordering", StockChecked, "a line is out of stock: cancel the order", (OrderCancelled,)))),
    Step(Action("gift", SendGift, "send a gift while gift stock lasts (the order's synchronous call)",
                (GiftSent, GiftOutOfStock)),
         (Action("gift", OrderCancelled, "take the gift back into stock", (GiftSendCancelled,)),)),
    Step(Action("kitchen", Ordered, "check stock for all lines at once, take it, open the ticket",
                (StockChecked, TicketScheduled)),
         (Action("kitchen", OrderCancelled, "cancel the ticket (its stock back if nothing was cooked)",
                 (CookCancelled,)),)),
    Step(Action("payments", Ordered, "open the order's bill in the day open now (or the next one)"),
         (Action("payments", OrderCancelled, "refund every tender that paid it, with who and why",
                 (PaymentRefunded,)),)),
    Step(Action("payments", TakePayment, "take payment: at once, or (dine-in) at the end; split across tenders "
                                         "or guests", (PaymentTaken,))),
    Step(Action("payments", GiftSent, "note the gift on the bill (the day's report counts gifts given)"),
         (Action("payments", GiftSendCancelled, "the gift went back: off the bill"),)),
    Step(Action("delivery", Ordered, "prepare the delivery (delivery orders only: dine-in and takeout never "
                                     "reach the board)"),
         (Action("delivery", OrderCancelled, "cancel the delivery"),)),
    Step(Action("kitchen", FinishCooking, "bump the ticket", (Cooked,)),
         (Action("kitchen", RecallTicket, "recall the bumped ticket", (CookRecalled,)),)),
    Step(Action("ordering", Cooked, "the order is cooked: no cancel unless the kitchen recalls it"),
         (Action("ordering", CookRecalled, "the food is back on the stove: the order may be cancelled again"),)),
    Step(Action("delivery", Cooked, "put the delivery on the board", (DeliveryStarted,)),
         (Action("delivery", CookRecalled, "the food was recalled: off the board", (DeliveryCancelled,)),)),
    Step(Action("delivery", PickUp, "a rider picks the food up", (PickedUp,))),
    Step(Action("delivery", Deliver, "the rider delivers it", (Delivered,))),
    Step(Action("kitchen", PickedUp, "the bump is final: no recall from now on"), pivot=True),
)

# The order side's fallback when the gift call fails (step 2): not a step of the gift context.
GIFT_FALLBACK = Action("ordering", SendGift, "the gift call failed or was slow: defer the gift", (GiftDeferred,))


# Reactions outside any order's saga: the manager's menu reaches the kitchen.
SHOP_REACTIONS: tuple[Action, ...] = (
    Action("kitchen", MenuItemSaved, "a new menu item: open its stock"),
)


def actions() -> list[Action]:
    """Every action of the saga, steps and compensations, in table order."""
    return [action for step in ORDER_SAGA for action in (step.action, *step.compensations)]


def reactions() -> set[tuple[str, type[Event]]]:
    """(context, event) for every action taken on another context's event: each is an event handler."""
    return {(a.context, a.on) for a in [*actions(), *SHOP_REACTIONS] if issubclass(a.on, Event)}
