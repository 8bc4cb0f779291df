"""Pure-ASGI guards in front of the gateway: the request body read in full within a deadline (and
within a size limit, as JSON), then load shedding.

They run before FastAPI parses anything, so turning a request away costs a few microseconds
and cannot itself add to the overload it is protecting against. The order matters: a request counts
against the in-flight limit only once its body has arrived, so clients that open requests and never
finish them (slow or hostile) hold a connection, not a place meant for work.
"""
from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Sequence


def error_body(code: str, message: str) -> bytes:
    return json.dumps({"code": code, "message": message}, ensure_ascii=False).encode()


SHED_BODY = error_body("overloaded", "The shop server is busy — try again shortly")
TOO_LARGE_BODY = error_body("too_large", "Request body too large")
READS = frozenset({"GET", "HEAD"})


async def _send_json(send, status: int, body: bytes, extra: Sequence[tuple[bytes, bytes]] = ()) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _time_out(slot: asyncio.Future) -> None:
    if not slot.done():
        slot.set_result(False)


class Slots:
    """At most ``limit`` holders at once; a caller beyond that waits at most ``wait_s`` for a slot
    (first come, first served) unless ``max_waiting`` already wait. All state is touched only on
    the event loop thread: no locks."""

    def __init__(self, limit: int, wait_s: float, max_waiting: int) -> None:
        self.limit, self.wait_s, self.max_waiting = limit, wait_s, max_waiting
        self.in_use = 0
        self._waiters: deque[asyncio.Future] = deque()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def acquire(self) -> bool:
        if self.in_use < self.limit and not self._waiters:
            self.in_use += 1
            return True
        if len(self._waiters) >= self.max_waiting or self.wait_s <= 0:
            return False
        loop = asyncio.get_running_loop()
        slot = loop.create_future()
        self._waiters.append(slot)
        timer = loop.call_later(self.wait_s, _time_out, slot)
        try:
            return await slot            # True: a finishing request handed us its slot
        except asyncio.CancelledError:   # the client went away while waiting
            if slot.done() and not slot.cancelled() and slot.result():
                self.release()           # we were handed a slot we will not use: pass it on
            raise
        finally:
            timer.cancel()
            if not slot.done() or slot.result() is False:
                try:
                    self._waiters.remove(slot)
                except ValueError:
                    pass

    def release(self) -> None:
        while self._waiters:             # hand the slot straight to the oldest waiter
            slot = self._waiters.popleft()
            if not slot.done():
                slot.set_result(True)
                return
        self.in_use -= 1


class LoadShedder:
    """Serve at most ``max_in_flight`` reads and as many writes at once (two pools: a write flood,
    which waits on the shop's writer, never keeps a read waiting); a request beyond that waits for a
    slot, up to ``read_wait_s`` / ``write_wait_s``, then gets 503 + Retry-After.

    A concurrency limit, not a rate limit: it follows the server's real capacity whatever a request
    costs, and recovers by itself as soon as work completes. The wait is what keeps shedding cheap:
    a client that ignores Retry-After and is answered at once asks again at once, and the server's
    time goes to 503s (docs/decisions/0020-shed-load-by-waiting.md). Waiting costs a parked future,
    and it also serves the user better: a read that waits a few hundred milliseconds beats a 503.
    Beyond ``max_waiting`` waiters per pool the answer is immediate, so memory stays bounded. Probes
    and the event stream are exempt: a shed readiness probe would take a busy-but-healthy server out
    of rotation, and streams are long-lived and idle.
    """

    def __init__(self, app, max_in_flight: int = 32, retry_after_s: int = 1, *, read_wait_s: float = 3.0,
                 write_wait_s: float = 1.0, max_waiting: int | None = None,
                 exempt: tuple[str, ...] = ("/health", "/ready", "/events/stream")) -> None:
        self.app, self.max_in_flight, self.exempt = app, max_in_flight, exempt
        waiting = max_waiting if max_waiting is not None else max(16 * max_in_flight, 512)
        self.reads = Slots(max_in_flight, read_wait_s, waiting)
        self.writes = Slots(max_in_flight, write_wait_s, waiting)
        self.retry_after = str(retry_after_s).encode()

    @property
    def in_flight(self) -> int:
        return self.reads.in_use + self.writes.in_use

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in self.exempt:
            return await self.app(scope, receive, send)
        slots = self.reads if scope["method"] in READS else self.writes
        if not await slots.acquire():
            return await _send_json(send, 503, SHED_BODY, [(b"retry-after", self.retry_after)])
        try:
            await self.app(scope, receive, send)
        finally:
            slots.release()


class BodyReader:
    """Read the whole request body before the app runs, or refuse it: 408 when it has not arrived
    within ``timeout_s`` of the headers, 413 beyond ``max_bytes``, 415 when it is not JSON in UTF-8.
    The app then reads the body from memory (API bodies are at most 64 KiB).

    uvicorn bounds the time between requests but not the time to send a body, so without this a
    client that sends headers and part of a body holds a request open for as long as it likes.
    """

    def __init__(self, app, max_bytes: int = 64 * 1024, timeout_s: float = 10.0) -> None:
        self.app, self.max_bytes, self.timeout_s = app, max_bytes, timeout_s

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length, content_type = None, None
        for name, value in scope["headers"]:
            if name == b"content-length":
                length = value
            elif name == b"content-type":
                content_type = value
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await _send_json(send, 413, TOO_LARGE_BODY, [(b"connection", b"close")])
        if length == b"0" or (length is None and not _chunked(scope)):
            return await self.app(scope, receive, send)    # no body: nothing to wait for
        try:
            async with asyncio.timeout(self.timeout_s):
                body = await self._read(receive)
        except TimeoutError:
            return await _send_json(send, 408, error_body(
                "request_timeout", f"The request body did not arrive within {self.timeout_s:g} s"),
                [(b"connection", b"close")])
        if body is None:                                   # the client went away
            return
        if len(body) > self.max_bytes:
            return await _send_json(send, 413, TOO_LARGE_BODY, [(b"connection", b"close")])
        if body and (problem := json_content_type_problem(content_type)):
            return await _send_json(send, 415, error_body("unsupported_media_type", problem))
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()     # the client's disconnect, when it comes
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _read(self, receive) -> bytes | None:
        chunks, seen, message = [], 0, {"more_body": True}
        while message.get("more_body"):
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > self.max_bytes:
                break
        return b"".join(chunks)


def _chunked(scope) -> bool:
    return any(name == b"transfer-encoding" for name, _ in scope["headers"])


def json_content_type_problem(value: bytes | None) -> str:
    """Why a body with this Content-Type is refused ("" when it is JSON in UTF-8, the only kind taken)."""
    if value is None:
        return "Send the body as JSON with 'Content-Type: application/json' (no Content-Type was given)"
    media, *params = value.decode("latin-1").split(";")
    if media.strip().lower() != "application/json":
        return (f"Send the body as JSON with 'Content-Type: application/json' "
                f"(got {media.strip()[:60]!r})")
    for param in params:
        key, _, charset = param.partition("=")
        if key.strip().lower() == "charset" and charset.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return f"JSON is taken in UTF-8 only (got charset={charset.strip()[:20]!r})"
    return ""
