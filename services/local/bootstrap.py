"""Wire the bounded contexts into one message bus (the local composition of the back end)."""
from __future__ import annotations

from typing import Callable

from services.commands import SendGift
from services.delivery import handlers as delivery
from services.delivery.repository import DeliveryRepository
from services.gift import handlers as gift
from services.gift.model import GiftOutcome
from services.gift.repository import GiftRepository
from services.infra.bus import BoundedContext, MessageBus, UnitOfWork
from services.kitchen import handlers as kitchen
from services.kitchen.repository import KitchenRepository
from services.mypage import handlers as mypage
from services.mypage.repository import MypageRepository
from services.ordering import handlers as ordering
from services.ordering.repository import OrderingRepository


class InProcessGiftService:
    """The order -> gift call in one process: the gift context's handler, in its own savepoint."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def send(self, order_id: int) -> GiftOutcome:
        return self._uow.isolated(lambda: gift.send_gift(SendGift(order_id), self._uow.context("gift")))


GiftServiceFactory = Callable[[UnitOfWork], object]


def build_bus(gift_service: GiftServiceFactory = InProcessGiftService) -> MessageBus:
    # Consumer order matters only for speed: mypage last, so each pass projects the most events at once.
    return MessageBus([
        BoundedContext("ordering", OrderingRepository, ordering.COMMAND_HANDLERS, ordering.EVENT_HANDLERS,
                       dependencies=lambda uow: {"gift_service": gift_service(uow)}),
        BoundedContext("kitchen", KitchenRepository, kitchen.COMMAND_HANDLERS, kitchen.EVENT_HANDLERS),
        BoundedContext("delivery", DeliveryRepository, delivery.COMMAND_HANDLERS, delivery.EVENT_HANDLERS),
        BoundedContext("gift", GiftRepository, gift.COMMAND_HANDLERS, gift.EVENT_HANDLERS),
        BoundedContext("mypage", MypageRepository, batch_handler=mypage.project),
    ])
