"""A slip as a PNG, drawn the way a thermal printer lays it out: a grid of 12-dot Font A columns
(a two-byte character takes two), 24-dot glyphs, 30-dot lines, double size doubling both.

For docs and a preview on screen. Qt is imported here only (it is already the screens' toolkit), and
an offscreen QGuiApplication is made if none exists, so it also runs from the command line.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from services.printing.escpos import columns, printable
from services.printing.slip import Slip

DOT_COLUMN, GLYPH, LINE, MARGIN = 12, 24, 30, 16
FONT_FAMILIES = ["Noto Sans Mono CJK KR", "NanumGothicCoding", "Noto Sans CJK KR", "monospace"]

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter


def slip_height(slip: Slip) -> int:
    return sum(LINE * line.size for line in slip.lines)


def paint_slip(painter: QPainter, slip: Slip, margin: int) -> None:
    """Each line in its columns (12 dots; a two-byte character two), 24-dot glyphs on 30-dot lines,
    double size doubling both, ``margin`` dots from the left and top: as the printer lays it out. A run
    of ASCII and Hangul is drawn as one string (the monospaced CJK font puts it on the grid, and a PDF's
    text reads as words); any other character (·, ※) in its own cells, since fonts disagree on its width.
    The PNG preview and the receipt's PDF both draw with it."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont

    y = margin
    for line in slip.lines:
        scale = line.size
        font = QFont()
        font.setFamilies(FONT_FAMILIES)
        font.setPixelSize(GLYPH * scale)
        font.setBold(line.bold)
        painter.setFont(font)
        text = printable(line.text)
        free = max(0, slip.width - scale * columns(text))
        column = {"left": 0, "center": free // 2, "right": free}[line.align]
        if line.banner:
            painter.fillRect(QRectF(margin, y, slip.width * DOT_COLUMN, LINE * scale), QColor("black"))
        painter.setPen(QColor("white" if line.banner else "black"))
        for run in _runs(text):
            cells = columns(run) * scale
            painter.drawText(QRectF(margin + column * DOT_COLUMN, y, cells * DOT_COLUMN, LINE * scale),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), run)
            column += cells
        y += LINE * scale


def _runs(text: str) -> list[str]:
    runs: list[str] = []
    for char in text:
        if _on_grid(char) and runs and _on_grid(runs[-1][-1]):
            runs[-1] += char
        else:
            runs.append(char)
    return runs


def _on_grid(char: str) -> bool:
    return ord(char) < 0x80 or "\uac00" <= char <= "\ud7a3"


def render_png(slip: Slip, path: Path | str) -> Path:
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

    _app = QGuiApplication.instance() or QGuiApplication(["slip-preview", "-platform", "offscreen"])
    image = QImage(slip.width * DOT_COLUMN + 2 * MARGIN, slip_height(slip) + 2 * MARGIN, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    paint_slip(painter, slip, MARGIN)
    painter.end()
    path = Path(path)
    if not image.save(str(path)):
        raise OSError(f"could not write {path}")
    return path
