"""A slip as a PNG, drawn the way a thermal printer lays it out: a grid of 12-dot Font A columns
(a two-byte character takes two), 24-dot glyphs, 30-dot lines, double size doubling both.

For docs and a preview on screen. Qt is imported here only (it is already the screens' toolkit), and
an offscreen QGuiApplication is made if none exists, so it also runs from the command line.
"""
from __future__ import annotations

from pathlib import Path

from services.printing.escpos import columns, printable
from services.printing.slip import Slip

DOT_COLUMN, GLYPH, LINE, MARGIN = 12, 24, 30, 16
FONT_FAMILIES = ["Noto Sans Mono CJK KR", "NanumGothicCoding", "Noto Sans CJK KR", "monospace"]


def render_png(slip: Slip, path: Path | str) -> Path:
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter

    _app = QGuiApplication.instance() or QGuiApplication(["slip-preview", "-platform", "offscreen"])
    height = sum(LINE * line.size for line in slip.lines) + 2 * MARGIN
    image = QImage(slip.width * DOT_COLUMN + 2 * MARGIN, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    y = MARGIN
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
            painter.fillRect(QRect(MARGIN, y, slip.width * DOT_COLUMN, LINE * scale), QColor("black"))
        painter.setPen(QColor("white" if line.banner else "black"))
        for char in text:
            cells = columns(char) * scale
            painter.drawText(QRect(MARGIN + column * DOT_COLUMN, y, cells * DOT_COLUMN, LINE * scale),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), char)
            column += cells
        y += LINE * scale
    painter.end()
    path = Path(path)
    if not image.save(str(path)):
        raise OSError(f"could not write {path}")
    return path
