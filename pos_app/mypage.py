"""Mypage: look an order up by number or phone; one card with order, cooking, delivery and gift
status and their times, and the timeline of every event of the order's saga. Stays live: any event
for the order on show refreshes it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton, QTableView, QVBoxLayout, QWidget)

from screens_common.bridge import ShopEvents
from screens_common.fmt import local_time, won
from screens_common.i18n import event_text, reason_text, status_text, tr, translator
from screens_common.rows_model import Column, RowsModel
from screens_common.runner import PortRunner
from screens_common.widgets import MessageBar, tidy_table, ui_font
from services.port import EventRecord, MypageCard, Shop

STAGES = (("my.order", "order_status", "ordered_at"), ("my.cooking", "cook_status", "cook_at"),
          ("my.delivery", "delivery_status", "delivery_at"), ("my.gift", "gift_status", "gift_at"))


def order_progress(card: MypageCard) -> str:
    """Where the order is now, in one word (as Today's orders says it), not the stored "placed": the
    card's order field only changes when the order is cancelled."""
    if card.order_status == "cancelled":
        return "cancelled"
    if card.delivery_status == "delivered":
        return "delivered"
    if card.delivery_status == "on_the_way":
        return "delivering"
    if card.delivery_status == "waiting" or card.cook_status == "cooked":
        return "cooked"
    if card.cook_status in ("cooking", "scheduled"):
        return card.cook_status
    return card.order_status


def _detail(entry) -> str:
    """The port's detail for a timeline line, in the reader's language: a reason code, the stock words."""
    if entry.event == "StockChecked" and entry.detail == "in stock":        # the chain's views still word it
        return tr("stock.in")
    if entry.event == "StockChecked" and entry.detail.startswith("out of stock: "):
        return tr("stock.out", items=entry.detail.removeprefix("out of stock: "))
    return reason_text(entry.detail)


def timeline_model(parent=None) -> RowsModel:
    return RowsModel([
        Column("col.time", lambda e: local_time(e.at)),
        Column("col.event", lambda e: event_text(e.event)),
        Column("col.detail", _detail),
    ], key=lambda e: e.position, parent=parent)


class MypageScreen(QWidget):
    def __init__(self, shop: Shop, events: ShopEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.runner = PortRunner(self)
        self.card: MypageCard | None = None
        self.timeline = timeline_model(self)
        self._build()
        events.batch.connect(self._on_batch)
        translator.language_changed.connect(self.retranslate)
        self.retranslate()

    def _build(self) -> None:
        self.setFont(ui_font(13))
        self.query = QLineEdit(font=ui_font(16))  # type: ignore[call-overload]  # stub gap: inherited property
        self.query.returnPressed.connect(self.look_up)
        self.search = QPushButton(font=ui_font(15, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
        self.search.clicked.connect(self.look_up)
        search_row = QHBoxLayout()
        search_row.addWidget(self.query, 1)
        search_row.addWidget(self.search)
        self.message = MessageBar()
        self.results = QListWidget()
        self.results.setMaximumWidth(260)
        self.results.currentItemChanged.connect(self._result_chosen)

        self.heading = QLabel(font=ui_font(18, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
        self.heading.setWordWrap(True)
        self.status_box = QGroupBox()
        grid = QGridLayout(self.status_box)
        self.stage_names, self.stage_status, self.stage_time = [], [], []
        for row in range(len(STAGES)):
            labels = tuple(QLabel(font=font)  # type: ignore[call-overload]  # stub gap: inherited property
                           for font in (ui_font(14, bold=True), ui_font(16, bold=True), ui_font(13)))
            for column, label in enumerate(labels):
                grid.addWidget(label, row, column)
            self.stage_names.append(labels[0])
            self.stage_status.append(labels[1])
            self.stage_time.append(labels[2])
        self.timeline_box = QGroupBox()
        self.timeline_view = QTableView()
        self.timeline_view.setModel(self.timeline)
        self.timeline_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tidy_table(self.timeline_view, stretch_column=2)
        QVBoxLayout(self.timeline_box).addWidget(self.timeline_view)

        card = QVBoxLayout()
        card.addWidget(self.heading)
        card.addWidget(self.status_box)
        card.addWidget(self.timeline_box, 1)
        body = QHBoxLayout()
        body.addWidget(self.results)
        body.addLayout(card, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(search_row)
        outer.addWidget(self.message)
        outer.addLayout(body, 1)

    def retranslate(self) -> None:
        self.query.setPlaceholderText(tr("my.lookup"))
        self.search.setText(tr("my.search"))
        self.status_box.setTitle(tr("col.status"))
        self.timeline_box.setTitle(tr("my.timeline"))
        for label, (key, _, _) in zip(self.stage_names, STAGES, strict=True):
            label.setText(tr(key))
        self.timeline.retranslate()
        self._show_card(self.card)

    # -- look-up -----------------------------------------------------------------------------------
    def look_up(self) -> None:
        text = self.query.text().strip()
        if not text:
            return
        digits = text.lstrip("#")
        if digits.isdigit() and not digits.startswith("0"):      # phones start with 0; order numbers do not
            order_id = int(digits)
            self.runner.run(lambda: [self.shop.mypage(order_id)], self._show_results, self._failed)
        else:
            self.runner.run(lambda: self.shop.mypage_by_phone(text), self._show_results, self._failed)

    def show_order(self, order_id: int) -> None:
        self.query.setText(str(order_id))
        self.look_up()

    def _failed(self, error: Exception) -> None:
        self.message.error(error)

    def _show_results(self, cards: list[MypageCard]) -> None:
        self.results.blockSignals(True)
        self.results.clear()
        for card in cards:
            entry = QListWidgetItem(f"#{card.order_id} {local_time(card.ordered_at, True)}\n{card.summary}")
            entry.setData(Qt.ItemDataRole.UserRole, card)
            self.results.addItem(entry)
        self.results.blockSignals(False)
        if not cards:
            self.message.error(tr("my.none", q=self.query.text().strip()))
            self._show_card(None)
            return
        self.message.clear_message()
        self.results.setCurrentRow(0)
        self._show_card(cards[0])

    def _result_chosen(self, current: QListWidgetItem | None, _previous=None) -> None:
        if current is not None:
            self._show_card(current.data(Qt.ItemDataRole.UserRole))

    def _show_card(self, card: MypageCard | None) -> None:
        self.card = card
        if card is None:
            self.heading.setText("")
            for status, when in zip(self.stage_status, self.stage_time, strict=True):
                status.setText("")
                when.setText("")
            self.timeline.set_rows([])
            return
        who = " ".join(p for p in (card.customer_name, card.phone) if p)
        self.heading.setText(f"#{card.order_id} · {who} · {won(card.total)}\n{card.summary}"
                             + (f"\n{reason_text(card.reason)}" if card.reason else ""))
        stages = zip(self.stage_status, self.stage_time, STAGES, strict=True)
        for label_status, label_time, (_, status_attr, time_attr) in stages:
            status = order_progress(card) if status_attr == "order_status" else getattr(card, status_attr)
            text = status_text(status) if status else "—"
            if status_attr == "gift_status" and card.gift_kind:
                text += f" ({card.gift_kind})"
            label_status.setText(text)
            label_time.setText(local_time(getattr(card, time_attr), with_date=True))
        self.timeline.set_rows(list(card.timeline))
        self._fit_timeline()

    def _fit_timeline(self) -> None:
        # A short table: fit the time and event columns to every row. Qt sizes ResizeToContents columns
        # from the rows it can see, which is none while this tab is hidden, leaving them header-wide.
        view = self.timeline_view
        for column in (0, 1):
            view.horizontalHeader().resizeSection(column, max(view.sizeHintForColumn(column),
                                                              view.horizontalHeader().sectionSizeHint(column)))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_timeline()

    # -- live --------------------------------------------------------------------------------------
    def _on_batch(self, records: list[EventRecord]) -> None:
        card = self.card
        if card is not None and any(r.order_id == card.order_id for r in records):
            order_id = card.order_id
            self.runner.run(lambda: self.shop.mypage(order_id), self._refreshed, self._failed)

    def _refreshed(self, card: MypageCard) -> None:
        if self.card is not None and card.order_id == self.card.order_id:
            item = self.results.currentItem()
            if item is not None:
                item.setData(Qt.ItemDataRole.UserRole, card)
            self._show_card(card)
