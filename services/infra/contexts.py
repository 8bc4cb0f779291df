"""How the bus reaches each bounded context, and what a handler is given.

A handler is ``handler(message, ctx)``. ``ctx`` is a ``HandlerContext`` built per transaction and per
context; each context's handlers type it with their own Protocol (``services/<context>/context.py``:
``OrderingContext``, ``KitchenContext``, ...), so a handler names only what its context provides.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar

from services.events import Event
from services.infra.outbox import Record

if TYPE_CHECKING:
    from services.infra.unit_of_work import AbstractUnitOfWork


class Dependencies(TypedDict, total=False):
    """What a context's handlers need besides their repository (only ordering has any today)."""
    gift_service: Any    # services.ordering.context.GiftService


R = TypeVar("R")   # a context's repository, as its handlers' Protocol names it (``OrderingRepo``, ...)

# ``Any`` for the message: one handler per message type, and the dict of them cannot say which.
Handler = Callable[[Any, "HandlerContext[R]"], Any]
BatchHandler = Callable[[list[Record], "HandlerContext[R]"], None]


@dataclass(frozen=True)
class BoundedContext(Generic[R]):
    """How the bus reaches one context: its repository (built on the unit of work's ``sql``: a
    ``services.infra.sql.Sql``, or the unit tests' tables), its handlers and what else they need."""
    name: str
    repository: Callable[[Any], R]
    command_handlers: dict[type, Handler[R]] = field(default_factory=dict)
    event_handlers: dict[type, Handler[R]] = field(default_factory=dict)
    batch_handler: BatchHandler[R] | None = None   # receives [(position, at, event)] for every order event
    dependencies: Callable[[AbstractUnitOfWork], Dependencies] | None = None

    @cached_property
    def consumes(self) -> bool:
        return bool(self.event_handlers) or self.batch_handler is not None

    @cached_property
    def projection(self) -> bool:
        """A read model: emits nothing and no command reads it."""
        return self.batch_handler is not None

    def wants(self, record: Record) -> bool:
        if self.batch_handler is not None:
            return record.event.order_id != 0
        return type(record.event) in self.event_handlers


class HandlerContext(Generic[R]):
    """What a handler sees: its own repository, the transaction's clock, ``emit`` / ``emit_all`` (to
    the transaction's outbox), and ``gift_service`` where the context has one (else None)."""
    __slots__ = ("repo", "now", "emit", "gift_service")

    def __init__(self, uow: AbstractUnitOfWork, context: BoundedContext[R]) -> None:
        self.repo: R = context.repository(uow.sql)
        self.now: float = uow.now
        self.emit: Callable[[Event], int] = uow.outbox.append
        dependencies = context.dependencies(uow) if context.dependencies else Dependencies()
        unknown = dependencies.keys() - Dependencies.__optional_keys__
        if unknown:
            raise TypeError(f"context {context.name} asks for unknown dependencies: {', '.join(sorted(unknown))}")
        self.gift_service: Any = dependencies.get("gift_service")

    def emit_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.emit(event)
