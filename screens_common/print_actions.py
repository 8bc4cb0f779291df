"""What the print buttons do: the system print dialog when a printer is installed, otherwise a PDF
in the print folder (``SIKDANG_PRINT_DIR``, default ``~/Documents/sikdang-prints``) named in the
message bar, so a shop without a printer still gets a file it can send or print later."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from screens_common.i18n import translator
from screens_common.printing import print_with_dialog, receipt_html, save_pdf, ticket_html
from screens_common.widgets import MessageBar
from services.port import MypageCard, Ticket


def print_dir() -> Path:
    folder = Path(os.environ.get("SIKDANG_PRINT_DIR") or Path.home() / "Documents" / "sikdang-prints")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _printer_installed() -> bool:
    if os.environ.get("SIKDANG_PRINT_DIR") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return False        # tests and headless runs always go to PDF
    from PySide6.QtPrintSupport import QPrinterInfo
    return bool(QPrinterInfo.availablePrinterNames())


def _print_or_save(html_text: str, stem: str, parent, message: MessageBar) -> Path | None:
    try:
        if _printer_installed():
            print_with_dialog(html_text, parent)
            return None
        path = save_pdf(html_text, print_dir() / f"{stem}-{datetime.now():%Y%m%d-%H%M%S}.pdf")
    except Exception as exc:    # a full disk or a broken driver must not take the screen down
        message.error(exc)
        return None
    saved = "PDF 저장됨" if translator.language == "ko" else "Saved PDF"
    message.info(f"{saved}: {path}")
    return path


def print_kitchen_ticket(ticket: Ticket, parent, message: MessageBar) -> Path | None:
    return _print_or_save(ticket_html(ticket), f"ticket-{ticket.order_id}", parent, message)


def print_receipt(card: MypageCard, parent, message: MessageBar, lines: list[dict] | None = None,
                  number: str = "") -> Path | None:
    stem = f"receipt-{number or card.order_id}".replace("#", "").replace(" ", "").replace("(", "-").replace(")", "")
    return _print_or_save(receipt_html(card, lines, number=number), stem, parent, message)
