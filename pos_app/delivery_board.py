"""The delivery board: three columns (waiting for pickup, on the way, delivered today) and the two
rider actions, picked up and delivered."""
from __future__ import annotations

import textwrap
from typing import cast

from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from screens_common.bridge import ShopEvents
from screens_common.fmt import local_time
from screens_common.i18n import tr, translator
from screens_common.rows_model import Column, RowsModel
from screens_common.runner import PortRunner, Refetcher
from screens_common.widgets import MessageBar, fit_columns_to_rows, tidy_table, ui_font
from services.port import DeliveryBoard, DeliveryCard, EventRecord, Shop

DELIVERY_EVENTS = {"DeliveryStarted", "PickedUp", "Delivered", "DeliveryCancelled", "CookRecalled", "OrderCancelled"}


LINE_CHARS = 12     # a line of a delivery card's customer cell: three boards side by side on a 1280 screen
LINES = 6


def _when(card: DeliveryCard) -> str:
    """To the minute: a rider needs no seconds, and the board needs the room."""
    return local_time(card.delivered_at or card.picked_up_at or card.started_at).rsplit(":", 1)[0]


def _customer(card: DeliveryCard) -> str:
    """Name, phone and address wrapped at spaces into short lines, so three boards fit side by side."""
    lines = [part for text in (card.customer_name, card.phone, card.address) if text
             for part in textwrap.wrap(text, LINE_CHARS, break_long_words=False)]
    return "\n".join(lines[:LINES])


def delivery_model(parent=None) -> RowsModel:
    return RowsModel([
        Column("col.order", lambda c: f"#{c.order_id}\n{_when(c)}"),
        Column("col.customer", _customer),
        Column("dlv.rider", lambda c: "\n".join(textwrap.wrap(c.rider, LINE_CHARS, break_long_words=False)[:LINES])),
    ], key=lambda c: c.order_id, parent=parent)


class DeliveryBoardScreen(QWidget):
    def __init__(self, shop: Shop, events: ShopEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.runner = PortRunner(self)
        self.waiting, self.on_the_way, self.delivered = (delivery_model(self) for _ in range(3))
        self._build()
        self.board_fetch = Refetcher(self.runner, lambda: shop.as_of(shop.delivery_board), self._apply_board,
                                     self.message.error, self)
        events.batch.connect(self._on_batch)
        events.subscribed.connect(self.board_fetch.request)
        translator.language_changed.connect(self.retranslate)
        self.retranslate()
        self.board_fetch.request()

    def _build(self) -> None:
        self.setFont(ui_font(13))
        self.message = MessageBar()
        self.views: dict[str, QTableView] = {}
        self.boxes: dict[str, QGroupBox] = {}
        columns = QHBoxLayout()
        for name, model in (("waiting", self.waiting), ("on_the_way", self.on_the_way), ("delivered", self.delivered)):
            view = QTableView()
            view.setModel(model)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            tidy_table(view, stretch_column=1, lines=LINES, long_list=True)
            box = QGroupBox(font=ui_font(15, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
            layout = QVBoxLayout(box)
            layout.addWidget(view)
            self.views[name], self.boxes[name] = view, box
            columns.addWidget(box)
        self.rider = QLineEdit()
        self.pick_up_button, self.deliver_button = QPushButton(), QPushButton()
        for button in (self.pick_up_button, self.deliver_button):
            button.setMinimumHeight(56)
            button.setFont(ui_font(15, bold=True))
        self.pick_up_button.clicked.connect(self.pick_up_selected)
        self.deliver_button.clicked.connect(self.deliver_selected)
        self.rider_label = QLabel()
        actions = QHBoxLayout()
        actions.addWidget(self.rider_label)
        actions.addWidget(self.rider, 1)
        actions.addWidget(self.pick_up_button, 1)
        actions.addWidget(self.deliver_button, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(self.message)
        outer.addLayout(columns, 1)
        outer.addLayout(actions)

    def _show_counts(self) -> None:
        for name, key in (("waiting", "dlv.waiting"), ("on_the_way", "dlv.on_the_way"), ("delivered", "dlv.delivered")):
            count = self.views[name].model().rowCount()
            self.boxes[name].setTitle(f"{tr(key)} ({count})")

    def retranslate(self) -> None:
        self._show_counts()
        self.rider_label.setText(tr("dlv.rider"))
        self.pick_up_button.setText(tr("dlv.pick_up"))
        self.deliver_button.setText(tr("dlv.deliver"))
        for model in (self.waiting, self.on_the_way, self.delivered):
            model.retranslate()
        for view in self.views.values():
            fit_columns_to_rows(view, (0, 2), lines=LINES)

    def _on_batch(self, records: list[EventRecord]) -> None:
        if any(r.name in DELIVERY_EVENTS for r in records):
            self.board_fetch.request()

    def _apply_board(self, board: DeliveryBoard) -> None:
        self.waiting.set_rows(list(board.waiting))
        self.on_the_way.set_rows(list(board.on_the_way))
        self.delivered.set_rows(list(board.delivered_today))
        for view in self.views.values():
            fit_columns_to_rows(view, (0, 2), lines=LINES)
        self._show_counts()

    def _selected(self, name: str) -> DeliveryCard | None:
        view = self.views[name]
        model = cast(RowsModel, view.model())    # each view shows one of the board's RowsModels
        card = model.row_at(view.currentIndex().row())
        if card is None and model.rowCount() == 1:
            card = model.row_at(0)    # one card waiting: no need to select it first
        return card

    def pick_up_selected(self) -> None:
        card, rider = self._selected("waiting"), self.rider.text().strip()
        if card is None:
            self.message.error(tr("dlv.pick_card"))
            return
        self.runner.run(lambda: self.shop.pick_up(card.order_id, rider), failure=self.message.error)

    def deliver_selected(self) -> None:
        card = self._selected("on_the_way")
        if card is None:
            self.message.error(tr("dlv.pick_card"))
            return
        self.runner.run(lambda: self.shop.deliver(card.order_id), failure=self.message.error)
