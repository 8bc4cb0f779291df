"""Receipts and kitchen tickets for a till with no receipt printer set up: to the system's printer or
a PDF file.

The receipt is the very slip the shop's ESC/POS receipt printer gets (``services.printing.layouts``:
business number, address, VAT, order type, tenders), drawn on an 80 mm page on the printer's grid in
a monospaced font with Hangul (``receipt_slip`` on a worker thread, ``save_slip_pdf`` on the GUI
thread). The kitchen ticket of the kitchen display's print key is HTML rendered by QTextDocument.
Korean renders as long as a CJK font is installed (see README); fonts are named explicitly so Qt does
not pick a Latin-only default.
"""
from __future__ import annotations

import dataclasses
import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from screens_common.fmt import local_time
from screens_common.widgets import KOREAN_FONT_FAMILIES, ui_font
from services.errors import UnknownOrder
from services.port import OrderSummary, Shop, Ticket
from services.printing.config import ShopDetails
from services.printing.layouts import PrintLine, PrintOrder, receipt
from services.printing.orders import OrderReader
from services.printing.preview import paint_slip, slip_height
from services.printing.slip import Slip

RECEIPT_WIDTH_MM = 80   # a common thermal receipt roll
DOTS_PER_INCH = 203     # a thermal printer's 8 dots a millimetre: the slip's grid is in these dots


def _page(title: str, body: str) -> str:
    families = ", ".join(f"'{f}'" for f in KOREAN_FONT_FAMILIES)
    return (f"<html><body style=\"font-family: {families}; font-size: 10pt;\">"
            f"<h2 style='text-align:center'>{html.escape(title)}</h2>{body}</body></html>")


# -- the receipt: the ESC/POS printer's slip ---------------------------------------------------------
def receipt_slip(shop: Shop, order: OrderSummary, details: ShopDetails | None = None, width: int = 48) -> Slip:
    """The receipt of a row of Today's orders, as the receipt printer would print it. Worker thread."""
    return receipt(receipt_order(shop, order), details or ShopDetails(), width)


def receipt_order(shop: Shop, order: OrderSummary) -> PrintOrder:
    """What the receipt needs, read through the port; an order taken offline keeps its till number."""
    if order.order_id < 0:
        return queued_order(shop, order)
    return dataclasses.replace(OrderReader(shop).order(order.order_id, with_card=True), till_number=order.till_number)


def queued_order(shop: Shop, order: OrderSummary) -> PrintOrder:
    """An order still in this till's offline queue: its lines from the queue (a remote shop keeps the
    order there until the server has it), names and prices from the menu as last seen. Not paid yet."""
    queue = getattr(shop, "queue", None)       # only a remote shop has an offline queue
    pending = next((p for p in queue.waiting() if p.seq == -order.order_id), None) if queue is not None else None
    if pending is None:
        raise UnknownOrder(f"{order.till_number or order.order_id} is no longer waiting on this till: "
                           "it has been sent, look for it again in Today's orders")
    command = pending.command
    menu = {item.code: item for item in shop.menu()}
    lines = []
    for line in command.lines:
        item = menu.get(line.item_code)
        lines.append(PrintLine(line.item_code, item.name_ko if item else line.item_code, item.name_en if item else "",
                               line.quantity, item.price if item else 0, line.note, item.category if item else ""))
    total = sum(line.unit_price * line.quantity for line in lines)
    kind = getattr(command.order_type, "value", command.order_type) or "delivery"
    return PrintOrder(order_id=order.order_id, placed_at=order.placed_at.timestamp(), lines=tuple(lines), total=total,
                      customer_name=command.customer_name, phone=command.phone, address=command.address,
                      scheduled_for=command.scheduled_for.timestamp() if command.scheduled_for else None,
                      order_type=str(kind), table=command.table, guests=command.guests, balance=total,
                      till_number=order.till_number or pending.till_number)


SLIP_MARGIN = 32        # dots either side of the 48 columns (576 dots) on the 80 mm (639-dot) page


def save_slip_pdf(slip: Slip, path: Path | str) -> Path:
    """The slip on an 80 mm page as long as the slip, drawn on the printer's grid. GUI thread."""
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(DOTS_PER_INCH)
    height_mm = (slip_height(slip) + 2 * SLIP_MARGIN) * 25.4 / DOTS_PER_INCH
    writer.setPageSize(QPageSize(QSizeF(RECEIPT_WIDTH_MM, height_mm), QPageSize.Unit.Millimeter))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setTitle(path.stem)
    painter = QPainter(writer)
    try:
        paint_slip(painter, slip, SLIP_MARGIN)
    finally:
        painter.end()
    return path


def print_slip_with_dialog(slip: Slip, parent=None) -> bool:
    """The slip on the system's printer, 80 mm wide at the page's top left, after its print dialog."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if QPrintDialog(printer, parent).exec() != QPrintDialog.DialogCode.Accepted:
        return False
    painter = QPainter(printer)
    try:
        painter.scale(printer.resolution() / DOTS_PER_INCH, printer.resolution() / DOTS_PER_INCH)
        paint_slip(painter, slip, SLIP_MARGIN)
    finally:
        painter.end()
    return True


# -- the kitchen ticket (the kitchen display's print key) ----------------------------------------------
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
    from PySide6.QtGui import QImage, QPainter
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
