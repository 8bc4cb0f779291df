"""The gateway's calls to the services (``ServiceCalls``), sync (httpx) and async (aiohttp), against a
real HTTP server on loopback: each broken exchange means the same for both — nothing done (retried),
perhaps done (said so), or the service's own refusal as the local shop's ShopError."""
from __future__ import annotations

import asyncio
import socketserver
import threading

import pytest

from services.chain.gateway_calls import OutcomeUnknown, ServiceCalls, Unavailable
from services.errors import CancelRefused
from services.http.server import ServerThread, free_port

ANSWERS = {   # path -> (status, body)
    "/ok": (200, b'{"orderId": 7}'),
    "/draining": (503, b'{"code": "busy", "message": "draining"}'),
    "/refused": (409, b'{"code": "cancel_refused", "message": "Order 7 is cooked"}'),
    "/died": (502, b"Bad Gateway"),
}


class Service:
    """Answers ``ANSWERS``; ``/flaky`` answers 503 ``fail_first`` times, then 200. Counts every request."""

    def __init__(self, fail_first: int = 2) -> None:
        self.fail_first, self.seen = fail_first, []

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        self.seen.append(scope["path"])
        status, body = ANSWERS.get(scope["path"], (404, b"{}"))
        if scope["path"] == "/flaky":
            status, body = (503, b"{}") if self.seen.count("/flaky") <= self.fail_first else (200, b'{"ok": true}')
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})


class _HangUp(socketserver.BaseRequestHandler):
    def handle(self) -> None:   # reads the request, then closes without a word: a replica killed mid-request
        self.request.recv(65536)


@pytest.fixture
def service():
    app = Service()
    server = ServerThread(app).start()
    yield app, server.url
    server.stop()


@pytest.fixture
def hang_up_url():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _HangUp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _both(calls: ServiceCalls, method: str, path: str, **kwargs) -> list:
    """The same call sync and async: each one's answer, or the error it raised."""
    def outcome(run):
        try:
            return run()
        except Exception as exc:  # noqa: BLE001 - what was raised is the answer
            return exc

    async def run_async():
        try:
            return await calls.call_async("svc", method, path, json=kwargs.get("json"), repeatable=kwargs["repeatable"])
        finally:
            await calls.close_async()
    return [outcome(lambda: calls.call("svc", method, path, **kwargs)), outcome(lambda: asyncio.run(run_async()))]


def test_answers_and_refusals_mean_the_same_sync_and_async(service):
    app, url = service
    calls = ServiceCalls({"svc": url}, retry_s=0.3)
    try:
        assert _both(calls, "POST", "/ok", json={"a": 1}, repeatable=False) == [{"orderId": 7}] * 2
        refused = _both(calls, "POST", "/refused", json={}, repeatable=True)
        assert [type(e) for e in refused] == [CancelRefused] * 2 and all("cooked" in str(e) for e in refused)
        assert app.seen.count("/refused") == 2, "a refusal is final: never retried"
        died = _both(calls, "POST", "/died", json={}, repeatable=False)
        assert [type(e) for e in died] == [OutcomeUnknown] * 2
        assert app.seen.count("/died") == 2, "perhaps done, and not repeatable: not sent again"
        draining = _both(calls, "POST", "/draining", json={}, repeatable=False)
        assert [type(e) for e in draining] == [Unavailable] * 2
        assert app.seen.count("/draining") > 2, "nothing was done: tried again until retry_s ran out"
    finally:
        calls.close()


def test_a_busy_service_is_tried_again_until_it_answers(service):
    app, url = service
    calls = ServiceCalls({"svc": url}, retry_s=30)
    try:
        assert _both(calls, "GET", "/flaky", repeatable=False) == [{"ok": True}] * 2
        assert app.seen.count("/flaky") == 3 + 1, "two 503s, then the answer; then the async call's answer"
    finally:
        calls.close()


def test_nobody_listening_is_unavailable_and_a_hang_up_is_outcome_unknown(hang_up_url):
    calls = ServiceCalls({"svc": f"http://127.0.0.1:{free_port()}"}, retry_s=0.3)
    try:
        assert [type(e) for e in _both(calls, "POST", "/ok", json={}, repeatable=False)] == [Unavailable] * 2
    finally:
        calls.close()
    calls = ServiceCalls({"svc": hang_up_url}, retry_s=0.3)
    try:
        assert [type(e) for e in _both(calls, "POST", "/ok", json={}, repeatable=False)] == [OutcomeUnknown] * 2
    finally:
        calls.close()
