"""Paints one ticket as a card readable across a kitchen, and the view that lays cards out.

The timer colour ages through ``AgeThresholds``: green, then amber after ``warn_s``, red after
``late_s``. The view repaints once a second so timers run without any model traffic.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from kitchen_display.ticket_model import SlotRole, TicketModel, TicketRole
from screens_common.fmt import age_seconds, elapsed
from screens_common.i18n import status_text, tr, translator
from screens_common.widgets import ui_font
from services.port import Ticket

CARD_SIZE = QSize(300, 272)     # room for the placed time and customer line
MAX_LINES_SHOWN = 6
MAX_WRAPPED_LINES = 3     # an English name and its Korean one
BACKGROUND = {"queued": "#2b2f36", "cooking": "#17324d", "cancelled": "#3a3a3a"}
AGE_COLOURS = ("#2e7d32", "#f9a825", "#c62828")   # fresh, ageing, late


@dataclass
class AgeThresholds:
    warn_s: float = 5 * 60
    late_s: float = 10 * 60

    def colour(self, age_s: float) -> str:
        if age_s >= self.late_s:
            return AGE_COLOURS[2]
        if age_s >= self.warn_s:
            return AGE_COLOURS[1]
        return AGE_COLOURS[0]


WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)


TYPE_COLOURS = {"dine_in": "#a5d6a7", "takeout": "#ffcc80", "delivery": "#90caf9"}


def type_text(ticket) -> str:
    """"Dine-in · Table 7", "Takeout", "Delivery" (in the display's language)."""
    kind = getattr(ticket, "order_type", "delivery")
    text = tr(f"type.{kind}")
    return f"{text} · {tr('type.table')} {ticket.table}" if getattr(ticket, "table", None) else text


def order_details(ticket: Ticket) -> str:
    """"Placed 12:34 · Kim Minji" (what the port knows of it; empty when it knows neither)."""
    parts = [tr("kds.placed", at=ticket.placed_at.astimezone().strftime("%H:%M"))] if ticket.placed_at else []
    if ticket.customer_name:
        parts.append(ticket.customer_name)
    return " · ".join(parts)


def line_text(line) -> str:
    name = line.name_ko if translator.language == "ko" else f"{line.name_en} {line.name_ko}"
    return f"{line.quantity} × {name}"


class TicketCardDelegate(QStyledItemDelegate):
    def __init__(self, thresholds: AgeThresholds, parent=None) -> None:
        super().__init__(parent)
        self.thresholds = thresholds
        self.painted_at: dict[int, float] | None = None   # set by the benchmark: first paint per order
        self._header_font = ui_font(20, bold=True)
        self._line_font = ui_font(16, bold=True)
        self._note_font = ui_font(13)
        self._note_font.setItalic(True)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return CARD_SIZE

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        ticket: Ticket | None = index.data(TicketRole)
        if ticket is None:
            return
        if self.painted_at is not None and ticket.order_id not in self.painted_at:
            self.painted_at[ticket.order_id] = time.perf_counter()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = option.rect.adjusted(6, 6, -6, -6)
        cancelled = ticket.status == "cancelled"
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(BACKGROUND.get(ticket.status, "#2b2f36")))
        painter.drawRoundedRect(card, 8, 8)

        age = age_seconds(ticket.created_at)
        header = QRect(card.left(), card.top(), card.width(), 44)
        painter.setBrush(QColor("#616161" if cancelled else self.thresholds.colour(age)))
        painter.drawRoundedRect(header, 8, 8)
        painter.setFont(self._header_font)
        painter.setPen(QColor("white"))
        slot = index.data(SlotRole)
        painter.drawText(header.adjusted(10, 0, -10, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         (f"[{slot}] " if slot else "") + f"#{ticket.order_id}")
        late = "  ⚠ " if ticket.late and not cancelled else ""   # flagged late by the core (TicketLate)
        painter.drawText(header.adjusted(10, 0, -10, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                         status_text("cancelled") if cancelled else late + elapsed(age))

        y = header.bottom() + 8
        painter.setFont(self._note_font)         # how it is eaten: a dine-in order's table, takeout, delivery
        painter.setPen(QColor(TYPE_COLOURS.get(ticket.order_type, "#bdbdbd")))
        kind = type_text(ticket)
        painter.drawText(card.left() + 10, y + 16, kind)
        if ticket.scheduled_for is not None:     # an order placed for later: flagged beside its type
            painter.setPen(QColor("#b39ddb"))
            painter.drawText(card.left() + 20 + painter.fontMetrics().horizontalAdvance(kind), y + 16,
                             tr("kds.scheduled_flag", at=ticket.scheduled_for.astimezone().strftime("%H:%M")))
        y += 22
        if details := order_details(ticket):     # when it was placed and for whom
            painter.setPen(QColor("#cfd8dc"))
            painter.drawText(card.left() + 10, y + 16, painter.fontMetrics().elidedText(
                details, Qt.TextElideMode.ElideRight, card.width() - 20))
            y += 22
        if ticket.status == "cooking":
            painter.setFont(self._note_font)
            painter.setPen(QColor("#90caf9"))
            painter.drawText(card.left() + 10, y + 16, "▶ " + status_text("cooking"))
            y += 22
        for shown, line in enumerate(ticket.lines):
            if shown == MAX_LINES_SHOWN or y > card.bottom() - 30:
                painter.setFont(self._note_font)
                painter.setPen(QColor("#bdbdbd"))
                painter.drawText(card.left() + 10, y + 18, f"… +{len(ticket.lines) - shown}")
                break
            font = self._line_font
            font.setStrikeOut(cancelled)
            painter.setFont(font)
            painter.setPen(QColor("#9e9e9e" if cancelled else "white"))
            text = line_text(line)
            # a long dish name wraps rather than losing its end ("Spicy chicken st…")
            box = QRect(card.left() + 10, y + 4, card.width() - 20,
                        MAX_WRAPPED_LINES * painter.fontMetrics().lineSpacing())
            used = painter.fontMetrics().boundingRect(box, WRAP, text)
            painter.drawText(box, WRAP, text)
            y += max(30, used.height() + 8)
            if line.note:
                note_font = self._note_font
                note_font.setStrikeOut(cancelled)
                painter.setFont(note_font)
                painter.setPen(QColor("#ffd54f"))
                note = painter.fontMetrics().elidedText(f"※ {line.note}", Qt.TextElideMode.ElideRight,
                                                        card.width() - 30)
                painter.drawText(card.left() + 20, y + 16, note)
                y += 22

        if option.state & QStyle.StateFlag.State_Selected:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor("#ffffff"), 5))
            painter.drawRoundedRect(card.adjusted(2, 2, -2, -2), 8, 8)
        painter.restore()


class TicketBoardView(QListView):
    """Cards left to right, wrapping. Keys: arrows, or the [1]-[9] shown on a card, select; Space starts (bumps a
    cooking ticket); Enter bumps; R recalls the last bumped ticket; P prints the selected ticket."""

    start_requested = Signal(int)
    bump_requested = Signal(int)
    recall_requested = Signal()
    print_requested = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.setStyleSheet("QListView { background: #121212; border: none; }")
        self.doubleClicked.connect(lambda _: self._advance())   # double-tap: the same as Space

    def _advance(self) -> None:
        ticket = self.selected_ticket()
        if ticket is not None and ticket.status == "queued":
            self.start_requested.emit(ticket.order_id)
        elif ticket is not None and ticket.status == "cooking":
            self.bump_requested.emit(ticket.order_id)

    def selected_ticket(self) -> Ticket | None:
        index = self.currentIndex()
        return index.data(TicketRole) if index.isValid() else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, ticket = event.key(), self.selected_ticket()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            model = self.model()
            # the key shown on the card, not its place
            row = model.row_of_slot(key - Qt.Key.Key_0) if isinstance(model, TicketModel) else -1
            if row >= 0:
                self.setCurrentIndex(self.model().index(row, 0))
        elif key == Qt.Key.Key_R:
            self.recall_requested.emit()
        elif key == Qt.Key.Key_Space:
            self._advance()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and ticket is not None:
            if ticket.status in ("queued", "cooking"):
                self.bump_requested.emit(ticket.order_id)
        elif key == Qt.Key.Key_P and ticket is not None:
            self.print_requested.emit(ticket.order_id)
        else:
            super().keyPressEvent(event)
            return
        event.accept()
