"""What every query of the port shares: pages of a collection, and answers "as of" a feed position."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar
from collections.abc import Callable

from services.errors import InvalidInput

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500     # what one paged query may ask for: bounds what one answer costs, whatever is asked
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class AsOf(Generic[T]):
    """A query's answer and the position of the feed it is as of: it includes every event up to
    ``position`` (and, from a shop that cannot say exactly, perhaps a few later ones, never fewer).
    A screen drops an answer older than the one it shows, and knows its own change is in once an
    answer's position reaches ``latest_position()`` read after the change."""
    position: int
    value: T


class AsOfLatest:
    """``as_of`` for a shop that cannot read a query and the log in one snapshot: the newest position
    read just before the query is a floor of what the answer includes (events commit in order)."""

    def latest_position(self) -> int:
        raise NotImplementedError

    def as_of(self, query: Callable[[], T]) -> AsOf[T]:
        position = self.latest_position()
        return AsOf(position, query())


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a collection: ``items`` (at most ``size``), page ``number`` (0-based, as Spring Data
    REST counts) and the ``total`` of items in the whole collection, counted in the same read."""
    items: tuple[T, ...]
    number: int
    size: int
    total: int

    @property
    def total_pages(self) -> int:
        return -(-self.total // self.size) if self.size else 0


def paging(page: int, size: int) -> tuple[int, int]:
    """``(page, size)`` checked as every implementation's paged queries take them, else InvalidInput."""
    if isinstance(page, bool) or not isinstance(page, int) or not 0 <= page <= MAX_PAGE:
        raise InvalidInput(f"Page number must be a whole number from 0 to {MAX_PAGE}, got {page!r:.40}")
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"Page size must be a whole number from 1 to {MAX_PAGE_SIZE}, got {size!r:.40}")
    return page, size
