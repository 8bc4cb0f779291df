"""uvicorn's httptools protocol with two changes: a deadline for a request's headers, and its own
refusals (a request the parser cannot read) as the gateway's ``{code, message}`` JSON.

uvicorn bounds only the idle time between requests (``timeout_keep_alive``); once a client has sent
the first byte of a request, nothing bounds how long it may take to send the rest of the headers, so
a client that trickles them in holds a connection forever. The body has its own deadline in the ASGI
layer (``services.http.guards.BodyReader``), where it can be answered with a proper response.

Named to uvicorn as ``http="services.http.protocol:GuardedHttpTools"`` (an import string, so the
spawned gateway workers import it themselves).
"""
from __future__ import annotations

import asyncio
import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEADER_TIMEOUT_S = 10.0


def json_error(status_line: bytes, code: str, message: str) -> bytes:
    """A whole HTTP/1.1 response that closes the connection, with the gateway's error body."""
    body = json.dumps({"code": code, "message": message}).encode()
    return b"".join([status_line, b"content-type: application/json\r\n",
                     b"content-length: " + str(len(body)).encode() + b"\r\n", b"connection: close\r\n\r\n", body])


TIMEOUT_RESPONSE = json_error(b"HTTP/1.1 408 Request Timeout\r\n", "request_timeout",
                              f"The request's headers did not arrive within {HEADER_TIMEOUT_S:g} s")
UNREADABLE_RESPONSE = json_error(b"HTTP/1.1 400 Bad Request\r\n", "bad_request",
                                 "The HTTP request could not be read (malformed request line, header or "
                                 "Content-Length, or a request line too long)")


class GuardedHttpTools(HttpToolsProtocol):
    header_timeout_s = HEADER_TIMEOUT_S

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._header_deadline: asyncio.TimerHandle | None = None
        self._mid_request = False
        self._arm_header_deadline()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._mid_request = True
        self._arm_header_deadline()

    def on_headers_complete(self) -> None:
        self._mid_request = False
        self._disarm_header_deadline()
        super().on_headers_complete()

    def connection_lost(self, exc) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        self._disarm_header_deadline()
        if not self.transport.is_closing():
            self.transport.write(UNREADABLE_RESPONSE)
            self.transport.close()

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self._header_deadline = self.loop.call_later(self.header_timeout_s, self._headers_too_slow)

    def _disarm_header_deadline(self) -> None:
        if (deadline := getattr(self, "_header_deadline", None)) is not None:
            deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        # connection_made arms the deadline too: a connection that sent nothing at all is idle, as
        # between keep-alive requests, and is closed without an answer; one in mid-headers is told.
        if not self.transport.is_closing():
            if self._mid_request:
                self.transport.write(TIMEOUT_RESPONSE)
            self.transport.close()
