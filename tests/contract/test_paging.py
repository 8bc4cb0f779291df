"""The port's paged queries and single items, in every implementation: one bounded page with the
total of the whole collection, and the same answers as the whole-list queries."""
from __future__ import annotations

import pytest

from services.errors import InvalidInput, UnknownOrder
from services.port import MAX_PAGE_SIZE, Page
from tests.contract.helpers import order


@pytest.fixture
def placed(shop):
    """Three orders, oldest first; the middle one cooked (so it has a delivery), the gift stock ample."""
    shop.set_gift_stock(10, "Candy")
    ids = [shop.place_order(order(phone=f"010-2000-000{n}")).order_id for n in range(3)]
    shop.finish_cooking(ids[1])
    return ids


def _all(query, size=2) -> list:
    """Every item of a paged query, page after page: the pages together are the whole collection."""
    items, number = [], 0
    while True:
        page = query(number, size)
        assert isinstance(page, Page) and page.number == number and page.size == size and len(page.items) <= size
        items.extend(page.items)
        if number >= page.total_pages - 1:
            assert len(items) == page.total
            return items
        number += 1


def test_todays_orders_page_by_page_newest_first(shop, placed):
    first = shop.orders_page(0, 2)
    assert [o.order_id for o in first.items] == placed[::-1][:2]
    assert (first.total, first.total_pages) == (3, 2)
    assert [o.order_id for o in _all(shop.orders_page)] == [o.order_id for o in shop.todays_orders()]
    assert shop.orders_page(5, 2).items == () and shop.orders_page(5, 2).total == 3
    assert shop.order_summary(placed[0]).order_id == placed[0]


def test_open_tickets_page_by_page_in_arrival_order(shop, placed):
    tickets = _all(shop.tickets_page, size=1)
    assert [t.order_id for t in tickets] == [t.order_id for t in shop.kitchen_tickets()] == [placed[0], placed[2]]
    assert shop.ticket(placed[1]).status == "cooked", "an item whatever its status"


def test_deliveries_gifts_and_mypages_page_by_page(shop, placed):
    deliveries = _all(shop.deliveries_page)
    assert [d.order_id for d in deliveries] == placed[::-1], "every delivery, newest first"
    assert shop.delivery(placed[1]).status == "waiting" and shop.delivery(placed[1]).address == "12 Sejong-daero, Seoul"
    gifts = _all(shop.gifts_page)
    assert [g.order_id for g in gifts] == placed[::-1] and {g.status for g in gifts} == {"sent"}
    assert shop.gift(placed[0]).kind == "Candy"
    cards = _all(shop.mypages_page)
    assert [c.order_id for c in cards] == placed[::-1]
    assert cards[1] == shop.mypage(placed[1]), "a page's card is the card, timeline and all"


@pytest.mark.parametrize("page, size", [(-1, 10), (0, 0), (0, MAX_PAGE_SIZE + 1), ("1", 10), (0, 2.5)])
def test_a_page_out_of_range_is_refused_with_a_clear_message(shop, page, size):
    with pytest.raises(InvalidInput, match="Page (number|size)"):
        shop.orders_page(page, size)


def test_an_item_that_is_not_there_is_an_unknown_order(shop, placed):
    with pytest.raises(UnknownOrder):
        shop.order_summary(placed[-1] + 1000)
    with pytest.raises(InvalidInput):
        shop.ticket(2**70)


def test_a_page_answers_as_of_a_position_too(shop, placed):
    answer = shop.as_of(lambda: shop.orders_page(0, 2))
    assert answer.position == shop.latest_position() and answer.value.total == 3
