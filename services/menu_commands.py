"""Commands of the manager's menu: categories and items. Pure data, validated on creation.

An order copies each line's name and unit price when it is placed, so editing an item never
changes what a past order cost or says."""
from __future__ import annotations

import re
from dataclasses import dataclass

from services.commands import MAX_NAME_LENGTH, MAX_REASON_LENGTH, text
from services.errors import InvalidInput
from services.payment_commands import won

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
MAX_PRICE = 10_000_000
MAX_PRINTER_LENGTH = 40


def code(value, field: str) -> str:
    """A code: 1-40 of lower-case letters, digits and dashes ("kimchi-jjigae"), else InvalidInput."""
    if not isinstance(value, str) or not _CODE.match(value):
        raise InvalidInput(f"{field} must be 1-40 lower-case letters, digits or dashes (e.g. kimchi-jjigae), "
                           f"got {value!r:.40}")
    return value


def _name(value, field: str) -> str:
    name = text(value, field, MAX_NAME_LENGTH)
    if not name:
        raise InvalidInput(f"{field} must not be blank")
    return name


@dataclass(frozen=True)
class SaveCategory:
    """Add a category or rename one (its items follow). ``sort``: its place on the menu (None: last).
    ``staff`` (the manager) and ``reason`` are audited where the shop keeps an audit."""
    code: str
    name_ko: str
    name_en: str
    sort: int | None = None
    staff: str = ""
    reason: str = ""

    def __post_init__(self) -> None:
        code(self.code, "Category code")
        object.__setattr__(self, "name_ko", _name(self.name_ko, "Korean name"))
        object.__setattr__(self, "name_en", _name(self.name_en, "English name"))
        if self.sort is not None and (isinstance(self.sort, bool) or not isinstance(self.sort, int)
                                      or not 0 <= self.sort <= 10_000):
            raise InvalidInput(f"Category position must be a whole number from 0 to 10000, got {self.sort!r:.40}")
        object.__setattr__(self, "staff", text(self.staff, "Staff", MAX_NAME_LENGTH))
        object.__setattr__(self, "reason", text(self.reason, "Reason", MAX_REASON_LENGTH))


@dataclass(frozen=True)
class SaveMenuItem:
    """Add an item or change one: names, price (won, VAT included), category (its code), the kitchen
    printer its lines go to ("" for the category's), available or not. ``initial_stock`` counts only
    for a new item (the kitchen restocks an existing one)."""
    code: str
    name_ko: str
    name_en: str
    price: int
    category: str
    printer: str = ""
    available: bool = True
    initial_stock: int = 0
    staff: str = ""
    reason: str = ""

    def __post_init__(self) -> None:
        code(self.code, "Item code")
        object.__setattr__(self, "name_ko", _name(self.name_ko, "Korean name"))
        object.__setattr__(self, "name_en", _name(self.name_en, "English name"))
        won(self.price, "Price", minimum=1)
        if self.price > MAX_PRICE:
            raise InvalidInput(f"Price must be at most ₩{MAX_PRICE:,}, got ₩{self.price:,}")
        code(self.category, "Category code")
        object.__setattr__(self, "printer", text(self.printer, "Printer", MAX_PRINTER_LENGTH))
        if not isinstance(self.available, bool):
            raise InvalidInput(f"Available must be true or false, got {self.available!r:.40}")
        if isinstance(self.initial_stock, bool) or not isinstance(self.initial_stock, int) \
                or not 0 <= self.initial_stock <= 10_000:
            raise InvalidInput(f"Initial stock must be 0-10000, got {self.initial_stock!r:.40}")
        object.__setattr__(self, "staff", text(self.staff, "Staff", MAX_NAME_LENGTH))
        object.__setattr__(self, "reason", text(self.reason, "Reason", MAX_REASON_LENGTH))
