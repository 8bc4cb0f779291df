"""The port's paged queries and single items, in every implementation: one bounded page with the
total of the whole collection, and the same answers as the whole-list queries."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from services.errors import InvalidInput, UnknownOrder
from services.port import MAX_PAGE_SIZE, Page
from tests.contract.helpers import order


PAGED = ("orders_page", "tickets_page", "deliveries_page", "gifts_page", "mypages_page")


@dataclass(frozen=True)
class Placed:
    """Three orders (``ids``, oldest first) and what each collection held before them: a shop may be
    shared with earlier tests (the chain is one per session), so a collection's newest items, or its
    last open tickets, are this test's, and its total grew by what this test added."""
    ids: list[int]
    before: dict[str, int]


@pytest.fixture
def placed(shop):
    """The middle order cooked (so its ticket is closed and its delivery waits), the gift stock ample."""
    shop.set_gift_stock(10, "Candy")
    before = {name: getattr(shop, name)(0, 1).total for name in PAGED}
    ids = [shop.place_order(order(phone=f"010-2000-000{n}")).order_id for n in range(3)]
    shop.finish_cooking(ids[1])
    return Placed(ids, before)


def _pages(query, first: int, size: int) -> tuple[list, int]:
    """The items of pages ``first``.. to the end, and the collection's total."""
    items, number = [], first
    while True:
        page = query(number, size)
        assert isinstance(page, Page) and page.number == number and page.size == size and len(page.items) <= size
        assert len(page.items) == max(0, min(size, page.total - number * size)), "every page but the last is full"
        items.extend(page.items)
        if number >= page.total_pages - 1:
            return items, page.total
        number += 1


def _all(query, size=2) -> list:
    """Every item of a paged query, page after page: the pages together are the whole collection."""
    items, total = _pages(query, 0, size)
    assert len(items) == total
    return items


def _newest(query, count: int, size=2) -> list:
    """The first ``count`` items of a newest-first paged query, read page after page."""
    items, number = [], 0
    while len(items) < count:
        page = query(number, size)
        assert page.items, "the collection ended early"
        items.extend(page.items)
        number += 1
    return items[:count]


def _last(query, count: int, size=1) -> list:
    """The last ``count`` items of a paged query (arrival order: the latest arrivals), page by page."""
    total = query(0, size).total
    items, _ = _pages(query, max(0, total - count) // size, size)
    return items[len(items) - count:]


def test_todays_orders_page_by_page_newest_first(shop, placed):
    ids, total = placed.ids, placed.before["orders_page"] + 3
    first = shop.orders_page(0, 2)
    assert [o.order_id for o in first.items] == ids[::-1][:2]
    assert (first.total, first.total_pages) == (total, -(-total // 2))
    assert [o.order_id for o in _all(shop.orders_page, size=7)] == [o.order_id for o in shop.todays_orders()]
    past = total // 2 + 5
    assert shop.orders_page(past, 2).items == () and shop.orders_page(past, 2).total == total
    assert shop.order_summary(ids[0]).order_id == ids[0]


def test_open_tickets_page_by_page_in_arrival_order(shop, placed):
    ids = placed.ids
    assert shop.tickets_page(0, 1).total == placed.before["tickets_page"] + 2, "the cooked one is closed"
    assert [t.order_id for t in _last(shop.tickets_page, 2)] == [ids[0], ids[2]]
    assert [t.order_id for t in _all(shop.tickets_page, size=7)] == [t.order_id for t in shop.kitchen_tickets()]
    assert shop.ticket(ids[1]).status == "cooked", "an item whatever its status"


def test_deliveries_gifts_and_mypages_page_by_page(shop, placed):
    ids = placed.ids
    for query in ("deliveries_page", "gifts_page", "mypages_page"):
        assert getattr(shop, query)(0, 1).total == placed.before[query] + 3, query
    deliveries = _newest(shop.deliveries_page, 3)
    assert [d.order_id for d in deliveries] == ids[::-1], "every delivery, newest first"
    assert shop.delivery(ids[1]).status == "waiting" and shop.delivery(ids[1]).address == "12 Sejong-daero, Seoul"
    gifts = _newest(shop.gifts_page, 3)
    assert [g.order_id for g in gifts] == ids[::-1] and {g.status for g in gifts} == {"sent"}
    assert shop.gift(ids[0]).kind == "Candy"
    cards = _newest(shop.mypages_page, 3)
    assert [c.order_id for c in cards] == ids[::-1]
    assert cards[1] == shop.mypage(ids[1]), "a page's card is the card, timeline and all"
    assert len(_all(shop.mypages_page, size=50)) == placed.before["mypages_page"] + 3


@pytest.mark.parametrize("page, size", [(-1, 10), (0, 0), (0, MAX_PAGE_SIZE + 1), ("1", 10), (0, 2.5)])
def test_a_page_out_of_range_is_refused_with_a_clear_message(shop, page, size):
    with pytest.raises(InvalidInput, match="Page (number|size)"):
        shop.orders_page(page, size)


def test_an_item_that_is_not_there_is_an_unknown_order(shop, placed):
    with pytest.raises(UnknownOrder):
        shop.order_summary(placed.ids[-1] + 1_000_000_000)
    with pytest.raises(InvalidInput):
        shop.ticket(2**70)


def test_a_page_answers_as_of_a_position_too(shop, placed):
    answer = shop.as_of(lambda: shop.orders_page(0, 2))
    assert answer.position == shop.latest_position() and answer.value.total == placed.before["orders_page"] + 3
