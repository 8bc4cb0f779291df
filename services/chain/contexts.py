"""What the chain needs to know of each bounded context: its repository, its handlers (the same
``COMMAND_HANDLERS`` / ``EVENT_HANDLERS`` the local shop runs), how its writes must be serialised,
and its timed work. Nothing else about a context is written twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from collections.abc import Callable

from services import commands as c
from services.delivery import handlers as delivery
from services.delivery.repository import DeliveryRepository
from services.gift import handlers as gift
from services.gift.repository import GiftRepository
from services.kitchen import handlers as kitchen
from services.kitchen.repository import KitchenRepository
from services.chain.payments_repository import ChainPaymentsRepository
from services.local.payment_views import payment_receipt
from services.local.scheduling import DEFAULT_LATE_THRESHOLD_S
from services.payment_commands import TakePayment
from services.payments import handlers as payments
from services.mypage import handlers as mypage
from services.mypage.repository import MypageRepository
from services.ordering import handlers as ordering
from services.ordering.repository import OrderingRepository


def _payment_answer(command, result):
    """TakePayment answers the counter's receipt (this payment's amount and change, the bill after it)."""
    return payment_receipt(result) if isinstance(command, TakePayment) else result


@dataclass(frozen=True)
class Timed:
    """A housekeeping command the leader replica runs every ``every_s`` seconds."""
    every_s: float
    command: Callable[[], Any]


@dataclass(frozen=True)
class ContextSpec:
    name: str
    repository: Callable[[Any], Any]
    command_handlers: dict[type, Callable] = field(default_factory=dict)
    event_handlers: dict[type, Callable] = field(default_factory=dict)
    projection: Callable | None = None      # mypage.project: every event of an order, in batches
    # The handlers read, then write shared rows (stock): run every transaction of the context one at a
    # time (an advisory lock), as SQLite did. Otherwise transactions take a lock per order they touch.
    serial: bool = False
    timed: tuple[Timed, ...] = ()
    # Commands another service calls inside its own transaction (gift's SendGift, from ordering): their
    # events are held from this context's relay and handed to the caller to publish (services/chain/store.py).
    called: frozenset[type] = frozenset()
    # What the caller gets for ``(command, handler result)`` when that is not the result itself.
    answer: Callable[[Any, Any], Any] | None = None
    # The subjects its consumer asks the server for, after the stream's prefix: ``<emitting context>.<event
    # name>``. Narrowed only where one filter covers every event it handles (nats-server 2.9 takes one
    # filter per consumer); the others fetch the whole stream and ack unread what they do not handle.
    # Widened later, a consumer is not sent again what it passed over: a new handler sees new events only.
    # Change it with every replica of the context on the new version: each start sets its own filter.
    subjects: str = ">"

    def wants(self, event_name: str, order_id: int | None = None) -> bool:
        """Whether this context handles the event ``event_name`` (known before decoding: the subject's last part)."""
        if self.projection is not None:
            return order_id != 0
        return event_name in self._event_names

    @cached_property
    def _event_names(self) -> frozenset[str]:
        return frozenset(cls.__name__ for cls in self.event_handlers)


SPECS: dict[str, ContextSpec] = {
    "ordering": ContextSpec("ordering", OrderingRepository, ordering.COMMAND_HANDLERS, ordering.EVENT_HANDLERS,
                            timed=(Timed(5.0, c.RetryDeferredGifts),), subjects="kitchen.>"),
    "kitchen": ContextSpec("kitchen", KitchenRepository, kitchen.COMMAND_HANDLERS, kitchen.EVENT_HANDLERS,
                           serial=True, timed=(Timed(2.0, c.ReleaseDueTickets),
                                               Timed(15.0, lambda: c.FlagLateTickets(DEFAULT_LATE_THRESHOLD_S)))),
    "delivery": ContextSpec("delivery", DeliveryRepository, delivery.COMMAND_HANDLERS, delivery.EVENT_HANDLERS),
    "gift": ContextSpec("gift", GiftRepository, gift.COMMAND_HANDLERS, gift.EVENT_HANDLERS, serial=True,
                        called=frozenset({c.SendGift}), subjects="*.OrderCancelled"),
    "mypage": ContextSpec("mypage", MypageRepository, projection=mypage.project),
    # Serial: every bill reads the one open day, and a bill's events must be taken in the stream's order
    # (an order's cancel handled before the order would leave an open bill for a cancelled order).
    "payments": ContextSpec("payments", ChainPaymentsRepository, payments.COMMAND_HANDLERS, payments.EVENT_HANDLERS,
                            serial=True, answer=_payment_answer),
}
