"""Printing: receipts and kitchen tickets on ESC/POS network printers, each kitchen ticket once.

An adapter fed by the shop's events through the port (not a bounded context): it keeps its own
print-job table keyed by (order, version, printer) in a small SQLite file beside the shop's data.
Nothing connects at import time; ``open_print_service`` starts it. Guide: docs/printing.md.
"""
from __future__ import annotations

from pathlib import Path

from services.port import Shop
from services.printing.config import PrintingConfig, load_config
from services.printing.jobs import default_state_path
from services.printing.service import PrintService


def open_print_service(shop: Shop, config: PrintingConfig | Path | str, state_path: Path) -> PrintService:
    """Start printing for ``shop`` with ``config`` (or the printers file at that path); the caller
    closes the service before the shop."""
    if not isinstance(config, PrintingConfig):
        config = load_config(config)
    return PrintService(shop, config, state_path).start()


__all__ = ["PrintService", "PrintingConfig", "default_state_path", "load_config", "open_print_service"]
