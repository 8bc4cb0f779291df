"""The manager's menu (ordering owns the catalogue): save a category, save an item.

The catalogue's rows are written here; the kitchen learns of a new item from ``MenuItemSaved`` and
opens its stock. Orders copied their lines' names and prices when placed, so nothing here reaches
a past order.
"""
from __future__ import annotations

from services.errors import UnknownCategory
from services.events import MenuCategorySaved, MenuItemSaved
from services.menu_commands import SaveCategory, SaveMenuItem
from services.ordering.context import OrderingContext


def save_category(command: SaveCategory, ctx: OrderingContext) -> None:
    existing = ctx.repo.category(command.code)
    sort = command.sort if command.sort is not None else (
        existing["sort"] if existing else ctx.repo.next_category_sort())
    ctx.repo.save_category(command.code, command.name_ko, command.name_en, sort)
    ctx.emit(MenuCategorySaved(order_id=0, code=command.code, name_ko=command.name_ko, name_en=command.name_en,
                               sort=sort, staff=command.staff))


def save_menu_item(command: SaveMenuItem, ctx: OrderingContext) -> None:
    category = ctx.repo.category(command.category)
    if category is None:
        raise UnknownCategory(f"There is no menu category {command.category!r}: add it first")
    new = not ctx.repo.has_item(command.code)
    ctx.repo.save_item(command, label=f"{category['name_ko']} {category['name_en']}")
    ctx.emit(MenuItemSaved(order_id=0, code=command.code, name_ko=command.name_ko, name_en=command.name_en,
                           price=command.price, category=command.category, printer=command.printer,
                           available=command.available, new=new,
                           initial_stock=command.initial_stock if new else 0, staff=command.staff))
