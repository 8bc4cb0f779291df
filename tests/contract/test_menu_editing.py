"""The manager's menu through the port, in every mode (embedded, shop server, chain): a new category and
item (Korean and English names, price, category, on sale), sold; its price changed, and the order
already placed keeps the price it was sold at; an item taken off sale is refused by name. Every change
is recorded with who made it (the menu's events carry the manager)."""
from __future__ import annotations

import uuid

import pytest

from services.errors import ShopError
from services.menu_commands import SaveCategory, SaveMenuItem
from tests.contract.helpers import order, wait_until

MANAGER = "manager"     # the remote shop signs in as the manager; the server records who from the token


def _saved_by(shop, since: int, name: str, code: str) -> list[str]:
    """Who each ``name`` event about ``code`` after ``since`` was made by, oldest first."""
    return [record.data.get("staff", "") for record in shop.events_since(since, limit=500)
            if record.name == name and record.data.get("code") == code]


def test_a_manager_adds_a_category_and_an_item_sells_it_and_changes_its_price(shop):
    suffix = uuid.uuid4().hex[:6]                 # the chain's shop is one for the session: codes of its own
    category, item = f"noodles-{suffix}", f"kalguksu-{suffix}"
    start = shop.latest_position()
    shop.save_category(SaveCategory(category, "면", "Noodles", staff=MANAGER, reason="a new page"))
    shop.save_menu_item(SaveMenuItem(item, "칼국수", "Knife-cut noodles", 9_000, category, available=True,
                                     initial_stock=20, staff=MANAGER, reason="winter special"))
    saved = wait_until(lambda: next((m for m in shop.menu() if m.code == item and m.stock == 20), None))
    assert (saved.name_ko, saved.name_en, saved.price, saved.category_code, saved.available) == (
        "칼국수", "Knife-cut noodles", 9_000, category, True)
    new = next(c for c in shop.categories() if c.code == category)
    assert (new.name_ko, new.name_en) == ("면", "Noodles") and "Noodles" in saved.category

    sold = shop.place_order(order((item, 2), order_type="takeout", address=""))
    assert sold.status == "placed" and sold.total == 18_000

    shop.save_menu_item(SaveMenuItem(item, "칼국수", "Knife-cut noodles", 10_000, category, staff=MANAGER,
                                     reason="flour went up"))
    wait_until(lambda: next(m for m in shop.menu() if m.code == item).price == 10_000)
    assert shop.place_order(order((item, 1), order_type="takeout", address="")).total == 10_000
    assert shop.mypage(sold.order_id).total == 18_000               # the past order keeps its price
    assert shop.bill(sold.order_id).total == 18_000

    assert wait_until(lambda: _saved_by(shop, start, "MenuCategorySaved", category)) == [MANAGER]
    assert wait_until(lambda: len(_saved_by(shop, start, "MenuItemSaved", item)) == 2
                      and _saved_by(shop, start, "MenuItemSaved", item)) == [MANAGER, MANAGER]


def test_an_item_taken_off_sale_is_refused_by_name(shop):
    suffix = uuid.uuid4().hex[:6]
    item = f"sikhye-{suffix}"
    category = next(iter(shop.categories())).code
    start = shop.latest_position()
    shop.save_menu_item(SaveMenuItem(item, "식혜", "Sweet rice drink", 3_000, category, available=False,
                                     initial_stock=10, staff=MANAGER, reason="not made today"))
    off = wait_until(lambda: next((m for m in shop.menu() if m.code == item), None))
    assert not off.available
    with pytest.raises(ShopError, match="Not on the menu today: Sweet rice drink"):
        shop.place_order(order((item, 1), order_type="takeout", address=""))
    assert wait_until(lambda: _saved_by(shop, start, "MenuItemSaved", item)) == [MANAGER]
