"""What the print buttons do: the system print dialog when a printer is installed, otherwise a PDF
in the print folder (``SIKDANG_PRINT_DIR``, default ``~/Documents/sikdang-prints``) named in the
message bar, so a shop without a printer still gets a file it can send or print later."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from screens_common.i18n import tr
from screens_common.printing import print_slip_with_dialog, print_with_dialog, save_pdf, save_slip_pdf, ticket_html
from screens_common.widgets import MessageBar
from services import settings
from services.port import Ticket
from services.printing.slip import Slip


def print_dir() -> Path:
    folder = settings.print_dir_setting() or Path.home() / "Documents" / "sikdang-prints"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _printer_installed() -> bool:
    if settings.print_dir_setting() is not None:
        return False        # a print folder is set (tests, headless runs): always a PDF there
    from PySide6.QtPrintSupport import QPrinterInfo
    return bool(QPrinterInfo.availablePrinterNames())


def _print_or_save(html_text: str, stem: str, parent, message: MessageBar) -> Path | None:
    return _print_or_save_with(lambda: print_with_dialog(html_text, parent), lambda path: save_pdf(html_text, path),
                               stem, message)


def _print_or_save_with(print_it: Callable[[], object], save: Callable[[Path], Path], stem: str,
                        message: MessageBar) -> Path | None:
    try:
        if _printer_installed():
            print_it()
            return None
        path = save(print_dir() / f"{stem}-{datetime.now():%Y%m%d-%H%M%S}.pdf")
    except Exception as exc:    # a full disk or a broken driver must not take the screen down
        message.error(exc)
        return None
    message.info(tr("print.saved_pdf", path=path))
    return path


def print_kitchen_ticket(ticket: Ticket, parent, message: MessageBar) -> Path | None:
    return _print_or_save(ticket_html(ticket), f"ticket-{ticket.order_id}", parent, message)


def print_receipt(slip: Slip, number: str, parent, message: MessageBar) -> Path | None:
    """The receipt printer's slip on the system's printer, or as an 80 mm PDF. ``number``: what the
    customer was told ("12", "T-3", "12-T-3" once a queued order was sent), for the file's name."""
    stem = "receipt-" + "".join(char if char.isalnum() or char == "-" else "-" for char in number).strip("-")
    return _print_or_save_with(lambda: print_slip_with_dialog(slip, parent), lambda path: save_slip_pdf(slip, path),
                               stem, message)
