"""Slow, hostile and careless clients on real sockets: they hold connections, never places meant for
work; every refusal, the HTTP parser's own included, is ``{code, message}`` JSON."""
from __future__ import annotations

import json
import socket
import threading

import httpx
import pytest

from tests.contract.helpers import wait_until
from tests.http.conftest import Served, an_item, order_body, sign_in


def _start_a_body_and_stall(port: int, path: bytes = b"/auth/sign-in") -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 100\r\n\r\n{\"staffId\":")
    return s


def _answer(s: socket.socket) -> tuple[int, dict]:
    """Status and JSON body of the one response on ``s`` (the server closes the connection after it)."""
    raw = b""
    while chunk := s.recv(65536):
        raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"application/json" in head.lower(), head
    return int(head.split(b" ", 2)[1]), json.loads(body)


@pytest.fixture
def patient(tmp_path):
    """A server whose body deadline is short enough to see it end within the test."""
    s = Served(tmp_path, body_timeout_s=3.0)
    yield s
    s.close()


def test_200_stalled_bodies_hold_no_place_and_orders_keep_being_taken(patient):
    stalled = [_start_a_body_and_stall(patient.port, b"/cancellations" if i % 2 else b"/auth/sign-in")
               for i in range(200)]
    try:
        with httpx.Client(base_url=patient.url, timeout=30) as client:
            counter = sign_in(client, "counter")
            code = an_item(client, counter, in_stock=20)["code"]
            for n in range(20):
                r = client.post("/orders", json=order_body(code, clientRef=f"beside-stalled-{n}"), headers=counter)
                assert r.status_code == 201, r.text
            assert client.get("/gifts/stock", headers=counter).status_code == 200
        assert patient.app.shedder.in_flight == 0, "a request whose body has not arrived is not in flight"
        for s in stalled[:5]:     # each stalled body is answered once its deadline passes, and closed
            status, body = _answer(s)
            assert status == 408 and body["code"] == "request_timeout" and "3 s" in body["message"]
    finally:
        for s in stalled:
            s.close()


def test_headers_that_never_finish_are_answered_408_and_closed(served):
    from services.http import protocol
    s = socket.create_connection(("127.0.0.1", served.port), timeout=60)
    try:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        status, body = _answer(s)     # within the header deadline (10 s)
        assert status == 408 and body["code"] == "request_timeout", body
        assert f"{protocol.HEADER_TIMEOUT_S:g} s" in body["message"]
    finally:
        s.close()


@pytest.mark.parametrize("content_type, why", [
    ("text/plain", "text/plain"),
    (None, "no Content-Type"),
    ("application/json; charset=latin-1", "UTF-8 only"),
    ("application/x-www-form-urlencoded", "x-www-form-urlencoded"),
])
def test_a_body_that_is_not_json_in_utf8_is_415_with_a_message(client, as_role, content_type, why):
    counter = as_role("counter")
    code = an_item(client, counter)["code"]
    before = len(client.get("/orders", headers=counter).json())
    headers = {**counter, **({"content-type": content_type} if content_type else {})}
    for path in ("/orders", "/cancellations"):      # the fast path and FastAPI alike
        r = client.post(path, content=json.dumps(order_body(code)).encode(), headers=headers)
        if content_type is None:
            assert "content-type" not in {k.lower() for k in r.request.headers}
        assert r.status_code == 415, r.text
        assert r.json()["code"] == "unsupported_media_type" and why in r.json()["message"]
    assert len(client.get("/orders", headers=counter).json()) == before, "nothing was taken"
    ok = client.post("/orders", content=json.dumps(order_body(code)).encode(),
                     headers={**counter, "content-type": "application/json; charset=UTF-8"})
    assert ok.status_code == 201, ok.text


@pytest.mark.parametrize("request_bytes", [
    b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    b"NONSENSE\r\n\r\n",
], ids=["100KB-url", "negative-length", "garbage"])
def test_the_parsers_own_refusals_are_json(served, request_bytes):
    with socket.create_connection(("127.0.0.1", served.port), timeout=60) as s:
        try:
            s.sendall(request_bytes)
        except (BrokenPipeError, ConnectionResetError):
            pass        # refused before all of it was sent: the answer is still there to read
        status, body = _answer(s)
    assert 400 <= status < 500 and set(body) == {"code", "message"} and body["message"], body


def test_a_client_that_connects_and_says_nothing_is_closed(served):
    from services.http import protocol
    done = threading.Event()
    with socket.create_connection(("127.0.0.1", served.port), timeout=60) as s:
        def wait_for_close():
            done.set() if s.recv(1) == b"" else None
        t = threading.Thread(target=wait_for_close, daemon=True)
        t.start()
        wait_until(done.is_set, timeout=protocol.HEADER_TIMEOUT_S + 50)
