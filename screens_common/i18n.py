"""English and Korean UI text: ``tr(key)`` looks a key up in the current language.

Switching language (``set_language``) emits ``language_changed`` on the ``translator`` object;
every screen connects it to its ``retranslate`` method. Unknown keys fall back to English, then to
the key itself, so a missing translation shows up as readable text rather than an error.
"""
from __future__ import annotations

import locale
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from screens_common.i18n_pos import POS_TEXT
from screens_common.i18n_staff import STAFF_TEXT
from screens_common.i18n_text import SCREEN_TEXT

# The screens' words (i18n_text), the point of sale's (i18n_pos) and the manager's back office (i18n_staff)
TEXT: dict[str, tuple[str, str]] = {**SCREEN_TEXT, **POS_TEXT, **STAFF_TEXT}   # key: (English, Korean)

LANGUAGES = ("en", "ko")


class Translator(QObject):
    language_changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.language = "en"


translator = Translator()


def system_language() -> str:
    lang = (locale.getlocale()[0] or "").lower()
    return "ko" if lang.startswith("ko") else "en"


def set_language(language: str | None) -> None:
    language = language or system_language()
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: choose one of {LANGUAGES}")
    if language != translator.language:
        translator.language = language
        translator.language_changed.emit(language)


def tr(key: str, **fields: object) -> str:
    english, korean = TEXT.get(key, (key, key))
    text = korean if translator.language == "ko" else english
    return text.format(**fields) if fields else text


def status_text(status: str) -> str:
    return tr(f"status.{status}") if f"status.{status}" in TEXT else status


# Menu names by item code, as the screens last read them: a coded reason names items by code
# ("@out_of_stock:kimchi_stew") and is worded from these in the reader's language.
_item_names: dict[str, tuple[str, str]] = {}


def remember_items(items) -> None:
    """Keep the names of ``items`` (anything with code, name_ko, name_en: menu items, ticket lines)."""
    for item in items:
        _item_names[item.item_code if hasattr(item, "item_code") else item.code] = (item.name_ko, item.name_en)


def _item_word(code: str) -> str:
    name_ko, name_en = _item_names.get(code, (code, code))
    return name_ko if translator.language == "ko" else (name_en or name_ko)


def reason_text(reason: str, short: bool = False) -> str:
    """A reason as the reader should see it: a code ("@duplicate", "@out_of_stock:CODE,CODE") in their
    language, with item codes as menu names (``short``: without them); typed text as typed."""
    if not reason.startswith("@"):
        return reason
    key, _, codes = reason[1:].partition(":")
    if f"reason.{key}" not in TEXT:
        return reason
    if short and f"reason.{key}.short" in TEXT:
        return tr(f"reason.{key}.short")
    if key == "out_of_stock":
        return tr("reason.out_of_stock", items=", ".join(_item_word(c) for c in codes.split(",") if c))
    return tr(f"reason.{key}")


class ReasonField:
    """A reason as a message field, worded when the message is shown: a message shown again after a
    language switch (``MessageBar.error_key``) gives it in the new language."""
    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __format__(self, spec: str) -> str:
        return format(reason_text(self.reason), spec)

    def __str__(self) -> str:
        return reason_text(self.reason)


def shop_text(description: str) -> str:
    """``Shop.describe()`` for the shop sign: its two known forms in the reader's language."""
    for prefix, key in (("Local shop · ", "shop.local"), ("server ", "shop.server")):
        if description.startswith(prefix):
            where, _, who = description[len(prefix):].partition(" as ")
            return tr("shop.server_as", where=where, who=who) if who else tr(key, where=where)
    return description


def event_text(name: str) -> str:
    return tr(f"event.{name}") if f"event.{name}" in TEXT else name


def item_name(name_ko: str, name_en: str) -> str:
    """Korean first on a Korean UI; English UI shows both so staff can match the ticket to the menu."""
    if translator.language == "ko":
        return name_ko
    return f"{name_en} {name_ko}" if name_en and name_en != name_ko else name_ko


@dataclass(frozen=True)
class ItemName:
    """A menu item's name as a ``tr`` field that a retranslated text words again in the new language."""
    name_ko: str
    name_en: str

    def __str__(self) -> str:
        return item_name(self.name_ko, self.name_en)
