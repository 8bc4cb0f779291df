"""Sending one job to an ESC/POS printer over raw TCP (port 9100), and what "the printer took it" means.

One connection per job: connect; ask the printer's real-time status (``DLE EOT``) and send nothing if it
is offline or out of paper; call ``before_send`` (the caller records the job as printing, fsynced);
send the bytes; close our side; wait until the printer has read to the end and closed its side.

That close is the only acknowledgement raw TCP gives: the printer has read the whole job into its
buffer. It is not proof of paper (a jam after that point is not seen here), and a job cut off after
its first byte left may or may not have printed: ``JobInterrupted`` says so, and the caller treats
the job as uncertain rather than as waiting.
"""
from __future__ import annotations

import socket
import time
from typing import Callable

from services.printing import escpos
from services.printing.config import PrinterConfig


class PrinterUnavailable(Exception):
    """Nothing of the job was sent (printer off, unreachable, offline or out of paper): retry later."""


class JobInterrupted(Exception):
    """The job's bytes had started to go when the connection failed: the printer may have printed it."""


def send_job(printer: PrinterConfig, payload: bytes, before_send: Callable[[], None]) -> None:
    where = f"{printer.name} ({printer.host}:{printer.port})"
    try:
        sock = socket.create_connection((printer.host, printer.port), timeout=printer.timeout_s)
    except OSError as error:
        raise PrinterUnavailable(f"printer {where} does not answer: {error.strerror or error}") from None
    with sock:
        if printer.status_check:
            _check_ready(sock, where)
        before_send()
        try:
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            _read_until_closed(sock, printer.timeout_s)
        except OSError as error:
            raise JobInterrupted(f"printer {where} stopped taking the job: {error.strerror or error}") from None


def _check_ready(sock: socket.socket, where: str) -> None:
    try:
        sock.sendall(escpos.STATUS_PRINTER + escpos.STATUS_PAPER)
        answer = _read_exactly(sock, 2)
    except OSError as error:
        raise PrinterUnavailable(f"printer {where} did not answer its status: {error.strerror or error}") from None
    printer_status, paper_status = answer
    if paper_status & escpos.PAPER_END_BITS:
        raise PrinterUnavailable(f"printer {where} is out of paper")
    if printer_status & escpos.OFFLINE_BIT:
        raise PrinterUnavailable(f"printer {where} is offline (cover open or an error)")


def _read_exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionResetError("closed before answering")
        data += chunk
    return data


def _read_until_closed(sock: socket.socket, timeout_s: float) -> None:
    """Wait for the printer's end of the connection (anything it sends meanwhile is status: dropped)."""
    deadline = time.monotonic() + timeout_s
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the printer did not finish reading the job in time")
        sock.settimeout(remaining)
        if not sock.recv(4096):
            return
