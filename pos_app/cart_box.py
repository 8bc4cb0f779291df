"""The counter's cart: its lines (item over note, quantity, amount) and, on one row beneath, the selected
line's −1 / +1 / Remove and its note. Rows are two lines in the cart's own font, so a 1280x800 till shows
four whole lines of cart."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView,
                               QVBoxLayout)

from pos_app.cart_model import AMOUNT, NOTE, QTY, CartModel
from screens_common.i18n import tr
from screens_common.widgets import fit_columns_to_rows, tidy_table, ui_font


class CartBox(QGroupBox):
    def __init__(self, cart: CartModel, parent=None) -> None:
        super().__init__(parent)
        self.cart = cart
        self.view = view = QTableView()
        view.setModel(cart)
        view.setFont(ui_font(12))
        tidy_table(view, stretch_column=0, lines=2)
        # two lines (the item, its note) in the cart's own font, not the largest table font
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().lineSpacing() * 2 + 10)
        view.setColumnHidden(NOTE, True)      # the note is the item's second line (and edited below)
        for changed in (cart.rowsInserted, cart.rowsRemoved, cart.dataChanged, cart.modelReset):
            changed.connect(self.fit)
        self.plus, self.minus, self.remove = QPushButton(), QPushButton(), QPushButton()
        self.plus.clicked.connect(lambda: cart.change_quantity(self.row(), +1))
        self.minus.clicked.connect(lambda: cart.change_quantity(self.row(), -1))
        self.remove.clicked.connect(lambda: cart.remove(self.row()))
        self.note, self.note_label = QLineEdit(), QLabel()
        self.note.editingFinished.connect(self._note_edited)
        view.selectionModel().currentRowChanged.connect(
            lambda current, _: self.note.setText(cart.data(cart.index(current.row(), NOTE)) or ""))
        line_row = QHBoxLayout()
        for button in (self.minus, self.plus, self.remove):
            button.setMinimumHeight(44)
            line_row.addWidget(button)
        for narrow in (self.minus, self.plus):       # "−1" and "+1" need no more: the note gets the rest
            narrow.setFixedWidth(56)
        line_row.addSpacing(4)
        line_row.addWidget(self.note_label)
        line_row.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(view, 1)
        layout.addLayout(line_row)

    def retranslate(self) -> None:
        self.setTitle(tr("counter.cart"))
        self.note_label.setText(tr("counter.note_short"))
        self.note.setPlaceholderText(tr("counter.note"))
        self.plus.setText(tr("counter.plus"))
        self.minus.setText(tr("counter.minus"))
        self.remove.setText(tr("counter.remove"))
        self.cart.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)
        self.fit()

    def fit(self, *_) -> None:
        fit_columns_to_rows(self.view, (QTY, AMOUNT), lines=2)

    def row(self) -> int:
        return self.view.currentIndex().row()

    def _note_edited(self) -> None:
        row = self.row()
        if row >= 0:
            self.cart.setData(self.cart.index(row, NOTE), self.note.text())
