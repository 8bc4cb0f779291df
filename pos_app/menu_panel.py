"""The menu as large touch buttons, grouped by category, each with price and live stock."""
from __future__ import annotations

import textwrap

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from screens_common.fmt import won
from screens_common.i18n import item_name, tr, translator
from screens_common.widgets import ui_font
from services.port import Category, MenuItem

COLUMNS = 3          # on a wide screen; a 1280-pixel till gets 2 (see ``resizeEvent``)
BUTTON_MIN_WIDTH = 170
NAME_CHARS = 14      # an English name longer than this wraps (a 170-pixel button, 13-point bold)
BUTTON_STYLE = """
QPushButton { background:#fff8e1; border:2px solid #ffb300; border-radius:10px; padding:6px; text-align:center; }
QPushButton:focus { border:3px solid #1565c0; }
QPushButton:pressed { background:#ffe082; }
QPushButton:disabled { background:#eeeeee; border:2px solid #bdbdbd; color:#9e9e9e; }
"""


class MenuButton(QPushButton):
    def __init__(self, item: MenuItem, parent=None) -> None:
        super().__init__(parent)
        self.setMinimumSize(BUTTON_MIN_WIDTH, 88)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFont(ui_font(13, bold=True))
        self.setStyleSheet(BUTTON_STYLE)
        self.set_item(item)

    def set_item(self, item: MenuItem) -> None:
        self.item = item
        if not item.stock_known:             # a cached menu while the server is away
            stock = tr("counter.stock_unknown")
        else:
            stock = tr("counter.sold_out") if item.sold_out else tr("counter.left", n=item.stock)
        if translator.language == "ko":     # Hangul is wide: one fact per line so nothing is clipped
            lines = [item.name_ko, won(item.price), stock]
        else:                                # a long English name takes two lines rather than losing its ends
            price_and_stock = f"{won(item.price)} · {stock}"
            lines = [*textwrap.wrap(item.name_en, NAME_CHARS, break_long_words=False), item.name_ko,
                     *([price_and_stock] if len(price_and_stock) <= 16 else [won(item.price), stock])]
        self.setText("\n".join(lines))
        self.setMinimumHeight(max(88, self.fontMetrics().lineSpacing() * len(lines) + 20, self.minimumHeight()))
        self.setEnabled(not item.sold_out)   # a sold-out item cannot be ordered


class MenuPanel(QScrollArea):
    item_chosen = Signal(object)   # MenuItem

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.buttons: dict[str, MenuButton] = {}
        self._categories: list[str] = []
        self._grids: list[tuple[QGridLayout, list[MenuButton]]] = []
        self.headings: list[tuple[QLabel, MenuItem]] = []   # each category's heading, with an item of it
        self._category_names: dict[str, Category] = {}
        self.columns = 2
        self._inner = QWidget()
        self._layout = QVBoxLayout(self._inner)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._inner)

    def set_menu(self, menu: list[MenuItem]) -> None:
        categories = list(dict.fromkeys(item.category for item in menu))
        if categories == self._categories and {i.code for i in menu} == set(self.buttons):
            for item in menu:                # the usual case: only stock changed, on a few buttons
                if self.buttons[item.code].item != item:
                    self.buttons[item.code].set_item(item)
            return
        self._rebuild(menu, categories)

    def set_categories(self, categories: list[Category]) -> None:
        """The categories' own names, so a heading speaks the screen's language (the menu's items carry
        only a label holding both)."""
        self._category_names = {category.code: category for category in categories}
        self._name_headings()

    def retranslate(self) -> None:
        for button in self.buttons.values():
            button.set_item(button.item)
        self._name_headings()

    def _name_headings(self) -> None:
        for heading, item in self.headings:
            category = self._category_names.get(item.category_code)
            heading.setText(item_name(category.name_ko, category.name_en) if category else item.category)

    def _rebuild(self, menu: list[MenuItem], categories: list[str]) -> None:
        while (taken := self._layout.takeAt(0)) is not None:
            widget = taken.widget()
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        self._grids, self.headings = [], []
        self._categories = categories
        for category in categories:
            heading = QLabel(font=ui_font(15, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
            self.headings.append((heading, next(item for item in menu if item.category == category)))
            self._layout.addWidget(heading)
            grid_holder = QWidget()
            grid = QGridLayout(grid_holder)
            grid.setContentsMargins(0, 0, 0, 8)
            buttons = []
            for item in (item for item in menu if item.category == category):
                button = MenuButton(item)
                button.clicked.connect(lambda _=False, b=button: self.item_chosen.emit(b.item))
                self.buttons[item.code] = button
                buttons.append(button)
            self._grids.append((grid, buttons))
            self._layout.addWidget(grid_holder)
        self._name_headings()
        self._place_buttons()

    def _place_buttons(self) -> None:
        tallest = max((b.minimumHeight() for b in self.buttons.values()), default=88)
        for button in self.buttons.values():      # one height for all: a grid of even touch targets
            button.setFixedHeight(tallest)
        for grid, buttons in self._grids:
            for position, button in enumerate(buttons):
                grid.addWidget(button, position // self.columns, position % self.columns)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        columns = max(2, min(COLUMNS, self.viewport().width() // (BUTTON_MIN_WIDTH + 20)))
        if columns != self.columns:
            self.columns = columns
            self._place_buttons()
