"""Receipts and kitchen tickets as HTML rendered by QTextDocument, to a printer or a PDF file.

Korean renders as long as a CJK font is installed (see README); the document names the font
families explicitly so Qt does not pick a Latin-only default.
"""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from screens_common.fmt import local_time, won
from screens_common.widgets import KOREAN_FONT_FAMILIES, ui_font
from services.port import MypageCard, Shop, Ticket

RECEIPT_WIDTH_MM = 80   # a common thermal receipt roll


def _page(title: str, body: str) -> str:
    families = ", ".join(f"'{f}'" for f in KOREAN_FONT_FAMILIES)
    return (f"<html><body style=\"font-family: {families}; font-size: 10pt;\">"
            f"<h2 style='text-align:center'>{html.escape(title)}</h2>{body}</body></html>")


def receipt_lines(shop: Shop, card: MypageCard) -> list[dict]:
    """The order's lines with unit prices, read from its ``Ordered`` event (the port has no order-lines
    query); empty if that event is not found, and the receipt falls back to the summary. Worker thread."""
    ordered = next((entry for entry in card.timeline if entry.event == "Ordered"), None)
    if ordered is None:
        return []
    records = shop.events_since(ordered.position - 1, limit=1)
    if not records or records[0].name != "Ordered" or records[0].order_id != card.order_id:
        return []
    return [dict(line) for line in records[0].data.get("lines", ())]


def receipt_html(card: MypageCard, lines: list[dict] | None = None, shop_name: str = "식당 Sikdang",
                 number: str = "") -> str:
    """``number``: what the customer was told, when it is not just "#id" (an order taken offline:
    "T-3" while it waits on the till, "#12 (T-3)" once the server has it)."""
    if lines:
        rows = "".join(
            f"<tr><td>{html.escape(line['name_ko'])} × {line['quantity']}"
            + (f"<br><small>※ {html.escape(line['note'])}</small>" if line.get("note") else "")
            + f"</td><td align='right'>{won(line['unit_price'] * line['quantity'])}</td></tr>"
            for line in lines)
    else:
        rows = "".join(f"<tr><td>{html.escape(part.strip())}</td></tr>" for part in card.summary.split(","))
    gift = f"<p>사은품 Gift: {html.escape(card.gift_kind)}</p>" if card.gift_kind else ""
    return _page(shop_name, (
        f"<p>주문 Order {html.escape(number or f'#{card.order_id}')}<br>{local_time(card.ordered_at, with_date=True)}</p>"
        f"<p>{html.escape(card.customer_name)} {html.escape(card.phone)}</p>"
        f"<table width='100%'>{rows}</table><hr>"
        f"<p style='font-size:13pt'><b>합계 Total {won(card.total)}</b></p>{gift}"
        f"<p style='text-align:center'>감사합니다 · Thank you</p>"))


def ticket_html(ticket: Ticket) -> str:
    rows = "".join(
        f"<tr><td style='font-size:14pt'><b>{line.quantity} ×</b></td>"
        f"<td style='font-size:14pt'>{html.escape(line.name_ko)} <small>{html.escape(line.name_en)}</small>"
        + (f"<br><i>※ {html.escape(line.note)}</i>" if line.note else "") + "</td></tr>"
        for line in ticket.lines)
    return _page(f"주방 Kitchen #{ticket.order_id}",
                 f"<p>{local_time(ticket.created_at)}</p><table>{rows}</table>")


def document(html_text: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(ui_font(10))
    doc.setHtml(html_text)
    return doc


def save_pdf(html_text: str, path: Path | str) -> Path:
    """Render to a PDF on an 80 mm roll-sized page (GUI thread: QTextDocument is not thread-safe)."""
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageSize(QPageSize(QSizeF(RECEIPT_WIDTH_MM, 200), QPageSize.Unit.Millimeter))
    writer.setPageMargins(QMarginsF(4, 4, 4, 4), QPageLayout.Unit.Millimeter)
    writer.setTitle(path.stem)
    doc = document(html_text)
    doc.print_(writer)
    return path


def save_preview_png(html_text: str, path: Path | str, width_px: int = 360) -> Path:
    """The same document as an image (for the docs: what the printed receipt looks like)."""
    from PySide6.QtGui import QColor, QImage, QPainter
    doc = document(html_text)
    doc.setTextWidth(width_px)
    image = QImage(width_px, int(doc.size().height()) + 8, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    doc.drawContents(painter)
    painter.end()
    image.save(str(path))
    return Path(path)


def print_with_dialog(html_text: str, parent=None) -> bool:
    """Show the system print dialog; QtPrintSupport is imported late because a wall display never prints."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    document(html_text).print_(printer)
    return True
