"""The kitchen display: its own dark, full-screen window of ticket cards with touch buttons,
keyboard control, an all-day count and per-item sold out / restock.

It talks to the shop only through a ``PortRunner`` (never on the GUI thread) and learns of changes
only from ``ShopEvents``; nothing polls the shop.
"""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (QApplication, QDoubleSpinBox, QHBoxLayout, QLabel, QListWidget,
                               QPushButton, QSizePolicy, QVBoxLayout, QWidget)

from kitchen_display.stock_panel import StockPanel
from kitchen_display.ticket_card import AgeThresholds, TicketBoardView, TicketCardDelegate
from kitchen_display.ticket_model import TicketModel
from kitchen_display.upcoming import UpcomingStrip
from screens_common.bridge import ShopEvents
from screens_common.connection import ConnectionSign
from screens_common.i18n import ReasonField, item_name, remember_items, shop_text, tr, translator
from screens_common.runner import PortRunner, Refetcher
from screens_common.widgets import MessageBar, ui_font
from services.events import Ordered, StockChecked
from services.port import AsOf, EventRecord, Shop, Ticket, TicketLine

TICKET_EVENTS = {"StockChecked", "TicketReleased", "CookStarted", "Cooked", "CookRecalled", "CookCancelled",
                 "TicketLate", "OrderCancelled"}
DARK = """
QWidget { background: #121212; color: #eeeeee; }
QPushButton { background: #263238; border: 1px solid #455a64; border-radius: 6px; padding: 12px 18px; }
QPushButton:pressed { background: #37474f; }
QListWidget { background: #1c1c1c; border: 1px solid #333; }
QSpinBox, QDoubleSpinBox { background: #263238; padding: 4px; }
"""


def ticket_from_feed(order_id: int, ordered: Ordered, at: datetime) -> Ticket:
    """The ticket the kitchen makes of an order for now (as ``kitchen_tickets()`` will report it), from
    its ``Ordered`` event: its lines, and how it is eaten."""
    return Ticket(order_id=order_id, status="queued", created_at=at, lines=tuple(
        TicketLine(item_code=line["item_code"], name_ko=line["name_ko"], name_en=line["name_en"],
                   quantity=line["quantity"], note=line.get("note", "")) for line in ordered.lines),
        order_type=ordered.order_type, table=ordered.table, customer_name=ordered.customer_name,
        placed_at=datetime.fromtimestamp(ordered.placed_at, timezone.utc))


class KitchenDisplay(QWidget):
    def __init__(self, shop: Shop, events: ShopEvents, *, thresholds: AgeThresholds | None = None,
                 linger_s: float = 8.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shop, self.events = shop, events
        self.runner = PortRunner(self)
        self.model = TicketModel(linger_s=linger_s, parent=self)
        self.settings = QSettings("sikdang-pos", "kitchen-display")
        self.thresholds = thresholds or AgeThresholds(
            warn_s=float(str(self.settings.value("warn_s", AgeThresholds.warn_s))),   # a float, or text read back
            late_s=float(str(self.settings.value("late_s", AgeThresholds.late_s))))   # from the settings file
        self.bumped: list[int] = []          # most recent last: what R recalls
        self.alerts = 0                      # new-ticket alerts raised (visible + beep)
        self.shop_label = ""
        self._cancel_reasons: dict[int, str] = {}   # order id -> why it was cancelled (OrderCancelled)
        self._arriving: dict[int, Ordered] = {}   # order id -> its Ordered event, awaiting its StockChecked
        self.setStyleSheet(DARK)
        self.setFont(ui_font(14))
        self._build()
        self.tickets = Refetcher(self.runner, self._fetch_tickets, self._apply_tickets, self.message.error, self)
        events.event.connect(self._on_event)
        events.subscribed.connect(self.refresh)
        events.reconnected.connect(self.refresh)
        self.model.new_tickets.connect(self._alert_new)
        # one all-day recount per model update, however many rows it touched
        self._all_day_timer = QTimer(self, singleShot=True, interval=0)
        self._all_day_timer.timeout.connect(self._refresh_all_day)
        for changed in (self.model.rowsInserted, self.model.rowsRemoved, self.model.dataChanged, self.model.modelReset):
            changed.connect(lambda *_: self._all_day_timer.start())
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        translator.language_changed.connect(self.retranslate)
        self.retranslate()
        self.runner.run(shop.describe, self._set_shop_label)
        self.refresh()

    # -- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel(font=ui_font(20, bold=True))  # type: ignore[call-overload]  # stubs omit inherited font=
        self.clock = QLabel(font=ui_font(20, bold=True))  # type: ignore[call-overload]  # stubs omit inherited font=
        self.warn_label, self.late_label = QLabel(), QLabel()
        self.warn_minutes = QDoubleSpinBox(minimum=0.5, maximum=120, singleStep=0.5, value=self.thresholds.warn_s / 60)
        self.late_minutes = QDoubleSpinBox(minimum=0.5, maximum=240, singleStep=0.5, value=self.thresholds.late_s / 60)
        self.warn_minutes.valueChanged.connect(self._thresholds_changed)
        self.late_minutes.valueChanged.connect(self._thresholds_changed)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(24)
        top.addWidget(self.clock)
        top.addSpacing(24)
        # full screen hides the title: the sign says which shop
        self.shop_sign = QLabel(font=ui_font(11))  # type: ignore[call-overload]  # stubs omit inherited font=
        self.shop_sign.setStyleSheet("QLabel { color: #9e9e9e; }")
        # a long database path must not widen the window past a 1280-pixel screen: it gets what is left
        self.shop_sign.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.shop_sign, 1)
        self.connection_sign = ConnectionSign(self.events, point_size=16)   # a cook must see the link is gone
        top.addWidget(self.connection_sign)
        for widget in (self.warn_label, self.warn_minutes, self.late_label, self.late_minutes):
            top.addWidget(widget)

        self.message = MessageBar()
        self.board = TicketBoardView()
        self.board.setModel(self.model)
        self.delegate = TicketCardDelegate(self.thresholds, self.board)
        self.board.setItemDelegate(self.delegate)
        self.board.start_requested.connect(self.start)
        self.board.bump_requested.connect(self.bump)
        self.board.recall_requested.connect(self.recall)
        self.board.print_requested.connect(self.print_ticket)
        self.empty_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setFont(ui_font(24))
        self.upcoming = UpcomingStrip(self.shop, self.events, self.runner, self.message.error)

        self.start_button, self.bump_button = QPushButton(), QPushButton()
        self.recall_button, self.print_button = QPushButton(), QPushButton()
        self.start_button.clicked.connect(lambda: self._with_selected(self.start))
        self.bump_button.clicked.connect(lambda: self._with_selected(self.bump))
        self.recall_button.clicked.connect(self.recall)
        self.print_button.clicked.connect(lambda: self._with_selected(self.print_ticket))
        actions = QHBoxLayout()
        for button in (self.start_button, self.bump_button, self.recall_button, self.print_button):
            button.setFont(ui_font(16, True))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # keys keep going to the board
            actions.addWidget(button)

        self.all_day_title = QLabel(font=ui_font(16, True))  # type: ignore[call-overload]  # stubs omit inherited font=
        self.all_day = QListWidget(font=ui_font(15, True))  # type: ignore[call-arg]  # stubs omit inherited font=
        self.all_day.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stock = StockPanel(self.shop, self.events, self.message)
        side = QVBoxLayout()
        for part in (self.all_day_title, self.all_day, self.stock):
            side.addWidget(part)
        side_panel = QWidget()
        side_panel.setLayout(side)
        side_panel.setFixedWidth(360)

        centre = QVBoxLayout()
        centre.addWidget(self.message)
        centre.addWidget(self.upcoming)
        centre.addWidget(self.empty_label)
        centre.addWidget(self.board, 1)
        centre.addLayout(actions)
        body = QHBoxLayout()
        body.addLayout(centre, 1)
        body.addWidget(side_panel)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addLayout(body, 1)
        self._keys_to_the_board()

    def _keys_to_the_board(self) -> None:
        """Nothing but the board ever takes the keyboard focus: a cook who touched a threshold box or
        the stock list still starts and bumps with Space and Enter. Those widgets work by touch."""
        for widget in self.findChildren(QWidget):
            if widget is not self.board and widget is not self.board.viewport():
                widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusProxy(self.board)

    def retranslate(self) -> None:
        self.setWindowTitle(f"{tr('kds.title')} — {shop_text(self.shop_label)}")
        self.shop_sign.setText(tr("shop.open", shop=shop_text(self.shop_label)) if self.shop_label else "")
        self.shop_sign.setToolTip(self.shop_sign.text())
        self.title.setText(tr("kds.title"))
        self.warn_label.setText(tr("kds.warn_after"))
        self.late_label.setText(tr("kds.late_after"))
        self.start_button.setText(tr("kds.start"))
        self.bump_button.setText(tr("kds.bump"))
        self.recall_button.setText(tr("kds.recall"))
        self.print_button.setText(tr("kds.print"))
        self.all_day_title.setText(tr("kds.all_day"))
        self.empty_label.setText(tr("kds.nothing"))
        self.upcoming.retranslate()
        self._refresh_all_day()
        self.board.viewport().update()

    def _set_shop_label(self, label: str) -> None:
        self.shop_label = label
        self.retranslate()

    # -- live updates ------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.tickets.request()
        self.upcoming.fetch.request()

    def _on_event(self, record: EventRecord) -> None:
        if record.name == "OrderCancelled":       # its CookCancelled follows: say why on both
            if len(self._cancel_reasons) > 200:
                self._cancel_reasons.pop(next(iter(self._cancel_reasons)))
            self._cancel_reasons[record.order_id] = getattr(record.event, "reason", "")
        if record.name in ("CookCancelled", "OrderCancelled") and self.model.mark_cancelled(record.order_id):
            if reason := self._cancel_reasons.get(record.order_id):
                self.message.error_key("kds.cancelled_why", id=record.order_id, reason=ReasonField(reason))
            else:
                self.message.error_key("kds.cancelled_ticket", id=record.order_id)
        self._show_arrival_at_once(record)
        if record.name in TICKET_EVENTS:
            # no coalescing delay for tickets: the Refetcher already folds a burst into one more fetch
            self.tickets.request()

    def _show_arrival_at_once(self, record: EventRecord) -> None:
        """An order for now that passed its stock check is a queued ticket: show it from the events
        themselves, a fetch round trip sooner; the refetch they trigger confirms or corrects it."""
        event = record.event
        if isinstance(event, Ordered) and event.scheduled_for is None and event.lines:
            if len(self._arriving) > 200:          # a StockChecked that never came: forget the oldest
                self._arriving.pop(next(iter(self._arriving)))
            self._arriving[record.order_id] = event
        elif isinstance(event, StockChecked):
            ordered = self._arriving.pop(record.order_id, None)
            if ordered and event.in_stock:
                self.model.add_arrived(ticket_from_feed(record.order_id, ordered, record.at), record.position)

    def _fetch_tickets(self) -> AsOf[list[Ticket]]:
        """Worker thread: the open tickets and the feed position they are as of (see ``TicketModel.apply``)."""
        return self.shop.as_of(self.shop.kitchen_tickets)

    def _apply_tickets(self, tickets: list[Ticket]) -> None:
        remember_items(line for ticket in tickets for line in ticket.lines)   # for coded cancel reasons
        self.model.apply(tickets, as_of=self.tickets.position)
        self.empty_label.setVisible(self.model.rowCount() == 0)
        if not self.board.currentIndex().isValid() and self.model.rowCount():
            self.board.setCurrentIndex(self.model.index(0, 0))

    def _refresh_all_day(self, *args) -> None:
        self.all_day.clear()
        for name_ko, name_en, quantity in self.model.all_day():
            self.all_day.addItem(f"{quantity} × {item_name(name_ko, name_en)}")

    def _alert_new(self, order_ids: list[int]) -> None:
        self.alerts += 1
        self.message.info_key("kds.new_ticket", hide_after_ms=8000, id=", #".join(map(str, order_ids)))
        QApplication.beep()    # audible where the platform has a bell; silent (not an error) elsewhere

    def _tick(self) -> None:
        self.clock.setText(datetime.now().strftime("%H:%M:%S"))
        self.model.expire_lingering()
        self.empty_label.setVisible(self.model.rowCount() == 0)
        self.board.viewport().update()    # timers and their colours age without model traffic

    def _thresholds_changed(self) -> None:
        self.thresholds.warn_s = self.warn_minutes.value() * 60
        self.thresholds.late_s = max(self.late_minutes.value(), self.warn_minutes.value()) * 60
        self.settings.setValue("warn_s", self.thresholds.warn_s)    # a wall display keeps its settings
        self.settings.setValue("late_s", self.thresholds.late_s)
        self.board.viewport().update()

    # -- actions (thin: build the call, run it off the GUI thread) ---------------------------------
    def _with_selected(self, action) -> None:
        ticket = self.board.selected_ticket()
        if ticket is not None:
            action(ticket.order_id)
        self.board.setFocus()

    def start(self, order_id: int) -> None:
        self.runner.run(lambda: self.shop.start_cooking(order_id), failure=self.message.error)

    def bump(self, order_id: int) -> None:
        def bump_one() -> int:
            self.shop.finish_cooking(order_id)
            return self.shop.latest_position()    # the bump is in the feed at or before this position

        def done(position: int) -> None:
            self.bumped.append(order_id)
            self.tickets.expect(position)         # no answer from before the bump shows the ticket again
        self.runner.run(bump_one, done, self.message.error)

    def recall(self) -> None:
        """Recall the last ticket bumped here; failing that (a restart, another display bumped it),
        the most recently cooked order still waiting for its rider."""
        remembered = self.bumped.pop() if self.bumped else None
        shop = self.shop

        def recall_one() -> int | None:
            order_id = remembered
            if order_id is None:
                waiting = shop.delivery_board().waiting
                if not waiting:
                    return None
                order_id = max(waiting, key=lambda card: (card.started_at is not None, card.started_at,
                                                          card.order_id)).order_id
            shop.recall_ticket(order_id)
            return order_id

        def done(order_id: int | None) -> None:
            if order_id is None:
                self.message.info_key("kds.no_recall", hide_after_ms=4000)
            else:
                self.message.info_key("kds.recalled", 4000, id=order_id)
        self.runner.run(recall_one, done, self.message.error)

    def print_ticket(self, order_id: int) -> None:
        from screens_common.print_actions import print_kitchen_ticket
        row = self.model.row_of(order_id)
        if row >= 0:
            print_kitchen_ticket(self.model.tickets()[row], self, self.message)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.board.setFocus()

    def closeEvent(self, event) -> None:
        self._clock.stop()
        self.runner.wait_idle(3000)
        super().closeEvent(event)
