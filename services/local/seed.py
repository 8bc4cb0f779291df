"""Load the demo menu (resources/menu.json) into a new shop database: catalogue, stock, gift stock."""
from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import Connection, text

DEMO_MENU = Path(__file__).resolve().parents[2] / "resources" / "menu.json"

_IS_EMPTY = text("SELECT count(*) FROM menu_items")
_ITEM = text("INSERT INTO menu_items (code, name_ko, name_en, category, category_code, price, sort)"
             " VALUES (:code, :name_ko, :name_en, :category, :category_code, :price, :sort)")
_CATEGORY = text("INSERT INTO menu_categories (code, name_ko, name_en, sort) VALUES (:code, :name_ko, :name_en, :sort)")
_STOCK = text("INSERT INTO stock (item_code, on_hand) VALUES (:code, :stock)")
_GIFT = text("INSERT OR IGNORE INTO gift_stock (id, kind, quantity) VALUES (1, :kind, :stock)")


def category_code(name_en: str) -> str:
    """A category's code from its English name ("Stews" -> "stews"), as migration 0006 derives it."""
    return re.sub(r"[^a-z0-9]+", "-", name_en.lower()).strip("-") or "menu"


def load_menu(path: Path = DEMO_MENU) -> dict:
    menu = json.loads(Path(path).read_text(encoding="utf-8"))
    for category in menu["categories"]:
        for item in category["items"]:
            if not isinstance(item["price"], int) or item["price"] <= 0:
                raise ValueError(f"{path}: price of {item['code']} must be a positive whole number of KRW")
    return menu


def menu_rows(menu: dict) -> tuple[list[dict], list[dict]]:
    """The menu file as rows: its categories, and its items in menu order (each with its category's
    label and code, and its place in the menu). The local shop and the chain seed from the same rows."""
    items: list[dict] = []
    categories: list[dict] = []
    for category in menu["categories"]:
        label = f"{category['name_ko']} {category['name_en']}"
        code = category_code(category["name_en"])
        categories.append({"code": code, "name_ko": category["name_ko"], "name_en": category["name_en"],
                           "sort": len(categories)})
        for item in category["items"]:
            items.append({**item, "category": label, "category_code": code, "sort": len(items)})
    return categories, items


def seed_if_empty(conn: Connection, path: Path = DEMO_MENU) -> bool:
    """Seed a database that has no menu yet; returns whether it did. Runs inside the caller's transaction."""
    if conn.execute(_IS_EMPTY).scalar():
        return False
    menu = load_menu(path)
    categories, items = menu_rows(menu)
    conn.execute(_CATEGORY, categories)
    conn.execute(_ITEM, items)
    conn.execute(_STOCK, items)
    conn.execute(_GIFT, menu["gift"])
    return True
