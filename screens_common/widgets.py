"""Small shared widgets: the message bar every screen uses to tell the user what happened."""
from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from screens_common.i18n import TEXT, tr, translator
from services.errors import ShopError

log = logging.getLogger(__name__)

KOREAN_FONT_FAMILIES = ["Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Malgun Gothic", "Apple SD Gothic Neo"]


def ui_font(point_size: int = 11, bold: bool = False) -> QFont:
    """A font that renders Hangul: Qt falls back through the families in order."""
    font = QFont()
    font.setFamilies(KOREAN_FONT_FAMILIES)
    font.setPointSize(point_size)
    font.setBold(bold)
    return font


def user_message(error: BaseException) -> str:
    """Domain errors carry a message written for the cashier in English; other languages show the
    translation of the error's code (the English detail goes to the log). Anything else is logged in
    full and shown briefly, never as a traceback."""
    if isinstance(error, ShopError):
        if translator.language == "en":
            return str(error)
        log.info("shown translated: %s: %s", error.code, error)
        codes = (getattr(c, "code", "") for c in type(error).__mro__)
        code = next((c for c in codes if f"error.{c}" in TEXT), "shop_error")
        return tr(f"error.{code}", message=str(error), **getattr(error, "fields", {}))  # e.g. seconds to wait
    log.error("unexpected error from the shop", exc_info=error)
    return tr("err.unexpected", error=f"{type(error).__name__}: {error}")


class MessageBar(QLabel):
    """A banner for the outcome of the last action: green info, red error, amber warning (it was done,
    but something beside it was not). Info fades after a while; errors and warnings stay until the
    next action so nobody misses them."""

    STYLES = {
        "info": "background:#e6f4ea; color:#0d5524; border:1px solid #8fd19e;",
        "error": "background:#fdecea; color:#8a1c1c; border:1px solid #f5a3a3;",
        "warning": "background:#fff4e5; color:#663c00; border:1px solid #ffb74d;",
    }

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setFont(ui_font(13, bold=True))
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 20)  # room for a two-line message
        self.kind = ""
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self.clear_message)
        self._key: tuple[str, dict] | None = None     # a message given as a key follows the language
        translator.language_changed.connect(self._retranslate)
        self.clear_message()

    def info(self, text: str, hide_after_ms: int = 15000) -> None:
        self._show("info", text)
        self._hide_timer.start(hide_after_ms)

    def error(self, error: BaseException | str) -> None:
        text = error if isinstance(error, str) else user_message(error)
        self._hide_timer.stop()
        self._show("error", text)

    def warning(self, text: str) -> None:
        self._hide_timer.stop()
        self._show("warning", text)

    def info_key(self, key: str, hide_after_ms: int = 15000, **fields) -> None:
        self.info(tr(key, **fields), hide_after_ms)
        self._key = (key, fields)

    def error_key(self, key: str, **fields) -> None:
        self.error(tr(key, **fields))
        self._key = (key, fields)

    def _retranslate(self) -> None:
        if self._key is not None and self.kind:
            key, fields = self._key
            self.setText(tr(key, **fields))

    def clear_message(self) -> None:
        # Stays in the layout, empty: a banner that came and went moved the buttons under the cashier's
        # finger (a click meant for "Place order" landed on "Order for later").
        self._key = None
        self.kind = ""
        self.setText("")
        self.setStyleSheet("QLabel { background:transparent; border:1px solid transparent; padding:8px; }")

    def _show(self, kind: str, text: str) -> None:
        self._key = None
        self.kind = kind
        self.setText(text)
        self.setStyleSheet(f"QLabel {{{self.STYLES[kind]} padding:8px; border-radius:4px;}}")
        self.setVisible(True)


def fixed_width_columns(view, samples: dict[int, str]) -> None:
    """Columns whose widest value is known (a time, a price) get that width once. A long list fits
    columns to its visible rows only, and right after a reset none are visible yet, which cut times
    and totals to "00:…" until something else resized them."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QHeaderView
    metrics = QFontMetrics(ui_font(14))  # the largest table font the screens use (see tidy_table)
    header = view.horizontalHeader()
    for column, sample in samples.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, metrics.horizontalAdvance(sample) + 16)


def fit_columns_to_rows(view, columns: tuple[int, ...], lines: int = 0) -> None:
    """Size ``columns`` to the widest line of any row, measured once per update. A long list resizing
    to its contents measures only the rows on screen, and right after a reset none are: a customer's
    name was cut to "Alexa…" until something else resized it."""
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QHeaderView, QStyle
    model, header = view.model(), view.horizontalHeader()
    cells, heads = QFontMetrics(view.font()), QFontMetrics(header.font())
    # a day's list repeats most texts (names, totals, statuses): measure each once per font
    cache = view.__dict__.setdefault("_text_widths", {})
    known = cache.setdefault(view.font().key(), {})
    if len(known) > 20000:
        known.clear()
    margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1) + 4
    for column in columns:
        widest = heads.horizontalAdvance(str(model.headerData(column, header.orientation()) or "")) + 2 * margin
        for row in range(model.rowCount()):
            for line in str(model.index(row, column).data() or "").split("\n"):
                if (width := known.get(line)) is None:
                    width = known[line] = cells.horizontalAdvance(line)
                widest = max(widest, width + margin)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(column, widest)
    if lines:    # rows of ``lines`` lines in the font the view really has (resolved by now)
        rows = view.verticalHeader()
        rows.setDefaultSectionSize(max(rows.defaultSectionSize(), cells.lineSpacing() * lines + 10))


def tidy_table(view, stretch_column: int, lines: int = 1, long_list: bool = False) -> None:
    """Columns fit their content and one column takes the rest; no row numbers (order numbers are
    already in the first column). Rows have a fixed height of ``lines`` text lines: sizing rows or
    columns to the content of every row costs a text layout per row on each update, which froze
    the GUI thread for hundreds of milliseconds once a day's worth of orders was listed. Short tables
    (a cart, one order's timeline) fit every row: measuring only the visible rows right after a reset
    measures none, and squeezed their columns to the header's width."""
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView
    header = view.horizontalHeader()
    if long_list:
        header.setResizeContentsPrecision(0)      # a day's orders: fit columns to the visible rows only
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    rows = view.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    # measured with the largest font the screens give tables (the view's own font is not resolved yet)
    from PySide6.QtGui import QFontMetrics
    rows.setDefaultSectionSize(QFontMetrics(ui_font(14)).lineSpacing() * lines + 10)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setWordWrap(False)
