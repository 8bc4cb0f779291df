"""Load shedding: beyond capacity, 503 + Retry-After + a message at once; recovery by itself."""
from __future__ import annotations

import socket
import time

import httpx
import pytest

from services.remote import open_remote_shop
from services.remote.errors import ServerBusy
from tests.http.conftest import Served, sign_in


@pytest.fixture
def tight(tmp_path):
    s = Served(tmp_path, max_in_flight=2)
    yield s
    s.close()


def hold_a_slot(port: int) -> socket.socket:
    """A client that starts a request and never finishes its body keeps one request in flight."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n")
    return s


def test_requests_beyond_capacity_get_503_with_retry_after_then_recover(tight, tmp_path):
    with httpx.Client(base_url=tight.url, timeout=5) as client:
        counter = sign_in(client, "counter")
        assert client.get("/gifts/stock", headers=counter).status_code == 200
        held = [hold_a_slot(tight.port) for _ in range(2)]
        time.sleep(0.2)
        started = time.monotonic()
        r = client.get("/gifts/stock", headers=counter)
        assert r.status_code == 503
        assert time.monotonic() - started < 0.5, "shedding must answer at once"
        assert r.headers["retry-after"] == "1"
        assert r.json() == {"code": "overloaded", "message": "The shop server is busy — try again shortly"}
        assert client.get("/health").status_code == 200, "probes are never shed"
        assert client.get("/ready").status_code == 200
        for s in held:
            s.close()
        time.sleep(0.2)
        assert client.get("/gifts/stock", headers=counter).status_code == 200, "recovers by itself"


def test_the_counter_says_busy_and_recovers(tight, tmp_path):
    remote = open_remote_shop(tight.url, "counter:1111", queue_path=tmp_path / "q.sqlite")
    try:
        held = [hold_a_slot(tight.port) for _ in range(2)]
        time.sleep(0.2)
        with pytest.raises(ServerBusy) as refused:
            remote.gift_stock()
        assert str(refused.value) == "busy — try again shortly"
        assert remote.connection_status() == "busy — try again shortly"
        for s in held:
            s.close()
        time.sleep(1.1)                       # Retry-After: 1
        assert remote.gift_stock().quantity >= 0
        assert remote.connection_status() == "online"
    finally:
        remote.close()
