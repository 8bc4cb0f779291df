"""In-memory fakes of the repositories and the unit of work (cosmicpython's FakeRepository and
FakeUnitOfWork), wired through the shop's own ``build_bus``: the handlers, the saga and the bus are
the real ones; only the tables are dicts. ``FakeShop`` runs commands as the writer does (the command,
then every consumer until nothing new is emitted, in one unit of work)."""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from services.events import Event
from services.gift.model import DEFAULT_KIND, Gift, GiftStock
from services.infra.bus import MessageBus
from services.infra.outbox import Record
from services.infra.unit_of_work import AbstractUnitOfWork
from services.kitchen.model import Ticket
from services.delivery.model import Delivery
from services.local.bootstrap import InProcessGiftService, Repositories, build_bus
from services.ordering.model import MenuEntry, Order
from services.payments.model import Bill, Day, Payment
from services.statuses import TicketStatus
from tests.unit.fake_payments import FakePaymentsRepository

T = TypeVar("T")
MENU = {
    "bibimbap": MenuEntry("bibimbap", "비빔밥", "Bibimbap", 9500),
    "bulgogi": MenuEntry("bulgogi", "불고기", "Bulgogi", 15000),
    "cola": MenuEntry("cola", "콜라", "Cola", 2000),
}


@dataclass
class Tables:
    """Every context's tables, as dicts (what ``sql`` is to the SQLite repositories)."""
    menu: dict[str, MenuEntry] = field(default_factory=lambda: dict(MENU))
    stock: dict[str, int] = field(default_factory=lambda: {code: 10 for code in MENU})
    orders: dict[int, Order] = field(default_factory=dict)
    tickets: dict[int, Ticket] = field(default_factory=dict)
    deliveries: dict[int, Delivery] = field(default_factory=dict)
    gifts: dict[int, Gift] = field(default_factory=dict)
    gift_stock: GiftStock = field(default_factory=lambda: GiftStock(DEFAULT_KIND, 5))
    mypage: dict[int, dict] = field(default_factory=dict)
    categories: dict[str, dict] = field(default_factory=lambda: {
        "rice": {"code": "rice", "name_ko": "밥", "name_en": "Rice", "sort": 0}})
    bills: dict[int, Bill] = field(default_factory=dict)
    tenders: list[dict] = field(default_factory=list)
    refunds: list[dict] = field(default_factory=list)
    days: dict[int, Day] = field(default_factory=dict)
    payments: dict[str, Payment] = field(default_factory=dict)   # payment_refs: by client_ref
    log: list[Record] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)
    failures: dict[tuple[str, int], int] = field(default_factory=dict)
    dead_letters: list[tuple[str, int, str]] = field(default_factory=list)


class FakeOrderingRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def menu_entries(self, codes: set[str]) -> dict[str, MenuEntry]:
        return {code: self.t.menu[code] for code in codes if code in self.t.menu}

    def id_for_client_ref(self, ref: str) -> int | None:
        return next((o.id for o in self.t.orders.values() if o.client_ref == ref), None)

    def add(self, order: Order) -> int:
        order_id = max(self.t.orders, default=0) + 1
        self.t.orders[order_id] = copy.deepcopy(order)
        self.t.orders[order_id].id = order_id
        return order_id

    def save(self, order: Order) -> None:
        assert order.id in self.t.orders, "save() of an order never added"
        self.t.orders[order.id] = copy.deepcopy(order)

    def get(self, order_id: int) -> Order | None:
        return copy.deepcopy(self.t.orders.get(order_id))

    def orders_with_deferred_gift(self) -> list[Order]:
        return [copy.deepcopy(o) for o in self.t.orders.values() if o.gift_status == "deferred"]

    def category(self, code: str) -> dict | None:
        return dict(self.t.categories[code]) if code in self.t.categories else None

    def next_category_sort(self) -> int:
        return max((c["sort"] for c in self.t.categories.values()), default=0) + 1

    def save_category(self, code: str, name_ko: str, name_en: str, sort: int) -> None:
        self.t.categories[code] = {"code": code, "name_ko": name_ko, "name_en": name_en, "sort": sort}

    def has_item(self, code: str) -> bool:
        return code in self.t.menu

    def save_item(self, item, label: str) -> None:
        self.t.menu[item.code] = MenuEntry(item.code, item.name_ko, item.name_en, item.price, item.available)


class FakeKitchenRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def on_hand(self, codes: Iterable[str]) -> dict[str, int]:
        return {code: self.t.stock[code] for code in codes if code in self.t.stock}

    def take(self, demand: Mapping[str, int]) -> None:
        for code, units in demand.items():
            self.t.stock[code] -= units

    def give_back(self, demand: Mapping[str, int]) -> None:
        for code, units in demand.items():
            self.t.stock[code] += units

    def set_on_hand(self, code: str, on_hand: int) -> int | None:
        if code not in self.t.stock:
            return None
        self.t.stock[code] = on_hand
        return on_hand

    def add_on_hand(self, code: str, delta: int) -> int | None:
        if code not in self.t.stock:
            return None
        self.t.stock[code] += delta
        return self.t.stock[code]

    def get(self, order_id: int) -> Ticket | None:
        return copy.deepcopy(self.t.tickets.get(order_id))

    def add_if_new(self, ticket: Ticket) -> bool:
        if ticket.order_id in self.t.tickets:
            return False
        self.t.tickets[ticket.order_id] = copy.deepcopy(ticket)
        return True

    def save(self, ticket: Ticket) -> None:
        self.t.tickets[ticket.order_id] = copy.deepcopy(ticket)

    def late_candidates(self, created_before: float) -> list[Ticket]:
        return [copy.deepcopy(t) for t in self.t.tickets.values()
                if t.status in (TicketStatus.QUEUED, TicketStatus.COOKING) and not t.late
                and t.created_at < created_before]

    def open_stock(self, code: str, on_hand: int) -> None:
        self.t.stock.setdefault(code, on_hand)

    def scheduled_due(self, now: float) -> list[Ticket]:
        return [copy.deepcopy(t) for t in self.t.tickets.values()
                if t.status == TicketStatus.SCHEDULED and t.release_at is not None and t.release_at <= now]


class FakeDeliveryRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def get(self, order_id: int) -> Delivery | None:
        return copy.deepcopy(self.t.deliveries.get(order_id))

    def add_if_new(self, delivery: Delivery) -> None:
        self.t.deliveries.setdefault(delivery.order_id, copy.deepcopy(delivery))

    def save(self, delivery: Delivery) -> None:
        self.t.deliveries[delivery.order_id] = copy.deepcopy(delivery)


class FakeGiftRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def stock(self) -> GiftStock:
        return copy.deepcopy(self.t.gift_stock)

    def save_stock(self, stock: GiftStock) -> None:
        self.t.gift_stock = copy.deepcopy(stock)

    def get(self, order_id: int) -> Gift | None:
        return copy.deepcopy(self.t.gifts.get(order_id))

    def add(self, gift: Gift) -> None:
        assert gift.order_id not in self.t.gifts, "two gifts for one order"
        self.t.gifts[gift.order_id] = copy.deepcopy(gift)

    def save(self, gift: Gift) -> None:
        self.t.gifts[gift.order_id] = copy.deepcopy(gift)


class FakeMypageRepository:
    def __init__(self, tables: Tables) -> None:
        self.t = tables

    def rows(self, order_ids) -> dict[int, dict]:
        return {i: dict(self.t.mypage[i]) for i in order_ids if i in self.t.mypage}

    def upsert(self, rows: list[dict]) -> None:
        for row in rows:
            self.t.mypage[row["order_id"]] = dict(row)


FAKE_REPOSITORIES: Repositories = {
    "ordering": FakeOrderingRepository, "kitchen": FakeKitchenRepository, "delivery": FakeDeliveryRepository,
    "gift": FakeGiftRepository, "payments": FakePaymentsRepository, "mypage": FakeMypageRepository,
}


class FakeOutbox:
    """The event log as one unit of work sees it; positions count from 1, as in the outbox table."""

    def __init__(self, tables: Tables, now: float) -> None:
        self.log, self.now = tables.log, now
        self.committed_max = len(self.log)
        self.appended: list[Record] = []

    def append(self, event: Event) -> int:
        record = Record(len(self.log) + 1, self.now, event)
        self.log.append(record)
        self.appended.append(record)
        return record.position

    def mark(self) -> int:
        return len(self.appended)

    def rollback_to(self, mark: int) -> None:
        for record in self.appended[mark:]:
            self.log.remove(record)
        del self.appended[mark:]

    def after(self, position: int, limit: int = 500) -> list[Record]:
        return self.log[position:position + limit]


class FakeUnitOfWork(AbstractUnitOfWork):
    """A transaction over ``Tables``: ``isolated`` undoes what its work changed when it fails."""

    def __init__(self, tables: Tables, now: float, bus: MessageBus) -> None:
        super().__init__(bus.contexts)
        self.tables = self.sql = tables
        self.now = now
        self.outbox = FakeOutbox(tables, now)
        self.positions = dict(tables.positions)

    def isolated(self, work: Callable[[], T]) -> T:
        saved = {name: copy.deepcopy(getattr(self.tables, name)) for name in _DATA}
        mark, positions = self.outbox.mark(), dict(self.positions)
        try:
            return work()
        except BaseException:
            for name, value in saved.items():
                setattr(self.tables, name, value)
            self.outbox.rollback_to(mark)
            self.positions = positions
            raise

    def save_positions(self) -> None:
        self.tables.positions = dict(self.positions)

    def count_failure(self, consumer: str, position: int) -> int:
        failures = self.tables.failures
        failures[consumer, position] = failures.get((consumer, position), 0) + 1
        return failures[consumer, position]

    def forget_failures(self, consumer: str, up_to: int) -> None:
        failures = self.tables.failures
        for key in [k for k in failures if k[0] == consumer and k[1] <= up_to]:
            del failures[key]

    def park(self, consumer: str, record: Record, error: str) -> None:
        self.tables.dead_letters.append((consumer, record.position, error))
        self.forget_failures(consumer, record.position)

    def commit(self) -> None:
        self.save_positions()


_DATA = ("categories", "menu", "stock", "orders", "tickets", "deliveries", "gifts", "gift_stock", "mypage",
         "dead_letters", "failures", "bills", "tenders", "refunds", "days")


class FakeShop:
    """The bus on fakes, driven like the writer drives it: one unit of work per command."""

    def __init__(self, now: float = 1_000_000.0, gift_service: Callable = InProcessGiftService) -> None:
        self.tables, self.now = Tables(), now
        self.bus = build_bus(gift_service=gift_service, repositories=FAKE_REPOSITORIES)

    def execute(self, command) -> Any:
        """Run ``command`` and its saga; returns the handler's answer, raises its error (nothing kept)."""
        uow = FakeUnitOfWork(self.tables, self.now, self.bus)
        result = uow.isolated(lambda: self._work(uow, command))
        uow.commit()
        return result

    def _work(self, uow: FakeUnitOfWork, command) -> Any:
        self.bus.drain(uow)
        result = self.bus.handle(uow, command) if command is not None else None
        self.bus.drain(uow)
        return result

    def events(self, since: int = 0) -> list[Event]:
        return [record.event for record in self.tables.log[since:]]

    def names(self, since: int = 0) -> list[str]:
        return [event.name for event in self.events(since)]

    @property
    def position(self) -> int:
        return len(self.tables.log)
