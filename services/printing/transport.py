"""Talking to an ESC/POS printer over raw TCP (port 9100), and what "the printer took it" means.

One connection per job: connect; ask the printer's real-time status (``DLE EOT``) and send nothing if
it is offline or out of paper; optionally read its cut counter; send the job; close our side; wait
until the printer has read to the end and closed its side.

That close is the only acknowledgement raw TCP gives: the printer has read the whole job into its
buffer. It is not proof of paper (a jam after that point is not seen here), and a job cut off after
its first byte left may or may not have printed: ``JobInterrupted`` says so. A printer that reports
its autocutter count settles that question afterwards: the count moved iff the job (which ends with
a cut) came out.
"""
from __future__ import annotations

import socket
import time

from services.printing import escpos
from services.printing.config import PrinterConfig


class PrinterUnavailable(Exception):
    """Nothing of the job was sent (printer off, unreachable, offline or out of paper): retry later."""


class JobInterrupted(Exception):
    """The job's bytes had started to go when the connection failed: the printer may have printed it."""


class PrinterConnection:
    """One job's connection. Every method before ``send`` raises PrinterUnavailable (nothing sent)."""

    def __init__(self, printer: PrinterConfig) -> None:
        self.printer = printer
        self.where = f"{printer.name} ({printer.host}:{printer.port})"
        try:
            self._sock = socket.create_connection((printer.host, printer.port), timeout=printer.timeout_s)
        except OSError as error:
            raise PrinterUnavailable(f"printer {self.where} does not answer: {error.strerror or error}") from None

    def __enter__(self) -> PrinterConnection:
        return self

    def __exit__(self, *_exc) -> None:
        self._sock.close()

    def check_ready(self) -> None:
        printer_status, paper_status = self._ask(escpos.STATUS_PRINTER + escpos.STATUS_PAPER, 2, "its status")
        if paper_status & escpos.PAPER_END_BITS:
            raise PrinterUnavailable(f"printer {self.where} is out of paper")
        if printer_status & escpos.OFFLINE_BIT:
            raise PrinterUnavailable(f"printer {self.where} is offline (cover open or an error)")

    def cut_count(self) -> int:
        """The printer's cumulative autocutter count (GS g 2)."""
        self._send_query(escpos.CUT_COUNTER, "its cut counter")
        answer = b""
        try:
            while not answer.endswith(b"\x00"):
                chunk = self._sock.recv(16)
                if not chunk:
                    raise ConnectionResetError("closed before answering")
                answer += chunk
        except OSError as error:
            raise PrinterUnavailable(f"printer {self.where} did not report its cut counter ({error}); "
                                     "set cut_counter = false for this model") from None
        digits = answer.rstrip(b"\x00")[1:]
        if answer[0] != escpos.COUNTER_HEADER or not digits.isdigit():
            raise PrinterUnavailable(f"printer {self.where} answered its cut counter with {answer!r}")
        return int(digits)

    def send(self, payload: bytes) -> None:
        """Send the job and wait until the printer has read all of it and closed its end."""
        try:
            self._sock.sendall(payload)
            self._sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + self.printer.timeout_s
            while True:   # anything the printer sends meanwhile is status: dropped
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the printer did not finish reading the job in time")
                self._sock.settimeout(remaining)
                if not self._sock.recv(4096):
                    return
        except OSError as error:
            raise JobInterrupted(f"printer {self.where} stopped taking the job: {error.strerror or error}") from None

    def _send_query(self, query: bytes, what: str) -> None:
        try:
            self._sock.sendall(query)
        except OSError as error:
            raise PrinterUnavailable(f"printer {self.where} did not take the question for {what}: {error}") from None

    def _ask(self, query: bytes, count: int, what: str) -> bytes:
        self._send_query(query, what)
        answer = b""
        try:
            while len(answer) < count:
                chunk = self._sock.recv(count - len(answer))
                if not chunk:
                    raise ConnectionResetError("closed before answering")
                answer += chunk
        except OSError as error:
            raise PrinterUnavailable(f"printer {self.where} did not answer {what}: {error.strerror or error}") from None
        return answer
