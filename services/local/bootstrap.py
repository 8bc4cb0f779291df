"""Wire the bounded contexts into one message bus (the local composition of the back end).

``build_bus`` is also how the unit tests wire the same handlers onto in-memory fakes: they pass
their own ``repositories`` (one factory per context, built on the unit of work's ``sql``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

from services.commands import SendGift
from services.delivery import handlers as delivery
from services.delivery.context import DeliveryRepo
from services.delivery.repository import DeliveryRepository
from services.gift import handlers as gift
from services.gift.context import GiftRepo
from services.gift.model import GiftOutcome
from services.gift.repository import GiftRepository
from services.infra.bus import BoundedContext, MessageBus
from services.infra.contexts import Dependencies
from services.infra.unit_of_work import AbstractUnitOfWork
from services.kitchen import handlers as kitchen
from services.kitchen.context import KitchenRepo
from services.kitchen.repository import KitchenRepository
from services.mypage import handlers as mypage
from services.mypage.context import MypageRepo
from services.mypage.repository import MypageRepository
from services.ordering import handlers as ordering
from services.ordering.context import OrderingRepo
from services.ordering.repository import OrderingRepository
from services.payments import handlers as payments
from services.payments.context import PaymentsRepo
from services.payments.repository import PaymentsRepository



class Repositories(TypedDict):
    """Each context's repository factory (given the unit of work's ``sql``), held to the Protocol its
    handlers are written against: a repository missing a method its handlers call does not type-check."""
    ordering: Callable[[Any], OrderingRepo]
    kitchen: Callable[[Any], KitchenRepo]
    delivery: Callable[[Any], DeliveryRepo]
    gift: Callable[[Any], GiftRepo]
    payments: Callable[[Any], PaymentsRepo]
    mypage: Callable[[Any], MypageRepo]


SQLITE_REPOSITORIES: Repositories = {
    "ordering": OrderingRepository, "kitchen": KitchenRepository, "delivery": DeliveryRepository,
    "gift": GiftRepository, "payments": PaymentsRepository, "mypage": MypageRepository,
}


class InProcessGiftService:
    """The order -> gift call in one process: the gift context's handler, in its own savepoint."""

    def __init__(self, uow: AbstractUnitOfWork) -> None:
        self._uow = uow

    def send(self, order_id: int) -> GiftOutcome:
        return self._uow.isolated(lambda: gift.send_gift(SendGift(order_id), self._uow.context("gift")))


GiftServiceFactory = Callable[[AbstractUnitOfWork], object]


def build_bus(gift_service: GiftServiceFactory = InProcessGiftService,
              repositories: Repositories = SQLITE_REPOSITORIES) -> MessageBus:
    def ordering_dependencies(uow: AbstractUnitOfWork) -> Dependencies:
        return {"gift_service": gift_service(uow)}

    # Consumer order matters only for speed: mypage last, so each pass projects the most events at once.
    return MessageBus([
        BoundedContext("ordering", repositories["ordering"], ordering.COMMAND_HANDLERS, ordering.EVENT_HANDLERS,
                       dependencies=ordering_dependencies),
        BoundedContext("kitchen", repositories["kitchen"], kitchen.COMMAND_HANDLERS, kitchen.EVENT_HANDLERS),
        BoundedContext("delivery", repositories["delivery"], delivery.COMMAND_HANDLERS, delivery.EVENT_HANDLERS),
        BoundedContext("gift", repositories["gift"], gift.COMMAND_HANDLERS, gift.EVENT_HANDLERS),
        BoundedContext("payments", repositories["payments"], payments.COMMAND_HANDLERS, payments.EVENT_HANDLERS),
        BoundedContext("mypage", repositories["mypage"], batch_handler=mypage.project),
    ])
