"""Pure-ASGI guards in front of the gateway: load shedding and a body-size limit.

They run before FastAPI parses anything, so turning a request away costs a few microseconds
and cannot itself add to the overload it is protecting against.
"""
from __future__ import annotations

import json

SHED_BODY = json.dumps({"code": "overloaded",
                        "message": "The shop server is busy — try again shortly"}, ensure_ascii=False).encode()
TOO_LARGE_BODY = json.dumps({"code": "too_large", "message": "Request body too large"}).encode()


async def _send_json(send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] = ()) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _drain(receive) -> None:
    """Read what is left of the request body so the connection stays usable for keep-alive."""
    message = {"more_body": True}
    while message.get("more_body"):
        message = await receive()
        if message["type"] != "http.request":
            return


class LoadShedder:
    """Admit at most ``max_in_flight`` requests at once; answer the rest 503 + Retry-After at once.

    A concurrency limit, not a rate limit: it follows the server's real capacity whatever a request
    costs, and recovers by itself as soon as work completes. Probes and the event stream are exempt:
    a shed readiness probe would take a busy-but-healthy server out of rotation, and streams are
    long-lived and nearly idle.
    """

    def __init__(self, app, max_in_flight: int = 64, retry_after_s: int = 1,
                 exempt: tuple[str, ...] = ("/health", "/ready", "/events/stream")) -> None:
        self.app, self.max_in_flight, self.exempt = app, max_in_flight, exempt
        self.retry_after = str(retry_after_s).encode()
        self.in_flight = 0
        self.shed = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in self.exempt:
            return await self.app(scope, receive, send)
        if self.in_flight >= self.max_in_flight:
            self.shed += 1
            await _drain(receive)
            return await _send_json(send, 503, SHED_BODY, [(b"retry-after", self.retry_after)])
        self.in_flight += 1        # one event loop thread: no lock needed
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


class BodyLimit:
    """Refuse bodies over ``max_bytes`` with 413, by Content-Length when given, else while reading."""

    def __init__(self, app, max_bytes: int = 64 * 1024) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit() or int(value) > self.max_bytes:
                    return await _send_json(send, 413, TOO_LARGE_BODY, [(b"connection", b"close")])
                return await self.app(scope, receive, send)   # the server enforces Content-Length itself
        # No Content-Length (chunked): read the body here, within the limit, and replay it. Bodies
        # on this API are small, and refusing before the app runs keeps every error path in one place.
        chunks, seen, message = [], 0, {"more_body": True}
        while message.get("more_body"):
            message = await receive()
            if message["type"] != "http.request":
                return
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > self.max_bytes:
                return await _send_json(send, 413, TOO_LARGE_BODY, [(b"connection", b"close")])
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()     # the client's disconnect, when it comes
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)
