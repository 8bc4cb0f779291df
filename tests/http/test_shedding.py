"""Load shedding: beyond capacity a request waits briefly for a slot, then 503 + Retry-After + a
message; reads and writes have their own slots; recovery by itself.

Requests are held in flight for real: another "process" holds the shop's write lock (as a second
writer on the same file would), so orders wait on the writer inside the server.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from services.infra.db import WriteLock
from services.remote import open_remote_shop
from services.remote.errors import ServerBusy
from tests.contract.helpers import wait_until
from tests.http.conftest import Served, an_item, order_body, sign_in


@pytest.fixture
def tight(tmp_path):
    s = Served(tmp_path, max_in_flight=2, write_wait_s=0.2)
    yield s
    s.close()


class OrdersInFlight:
    """``n`` orders sent while the shop's write lock is held: they stay in flight until ``release``."""

    def __init__(self, served: Served, headers: dict, code: str, n: int = 2) -> None:
        self.lock = WriteLock(served.db_path)
        self.lock.__enter__()
        self.answers: list[int] = []
        self._threads = [threading.Thread(target=self._place, args=(served.url, headers, code, i)) for i in range(n)]
        for t in self._threads:
            t.start()
        wait_until(lambda: served.app.shedder.writes.in_use == n, timeout=60, interval=0.01)

    def _place(self, url, headers, code, i):
        r = httpx.post(url + "/orders", json=order_body(code, clientRef=f"held-{i}"), headers=headers, timeout=120)
        self.answers.append(r.status_code)

    def release(self) -> None:
        self.lock.__exit__(None, None, None)
        self.lock.close()
        for t in self._threads:
            t.join(120)


def test_writes_beyond_capacity_wait_then_get_503_with_retry_after_and_reads_still_pass(tight):
    with httpx.Client(base_url=tight.url, timeout=60) as client:
        counter = sign_in(client, "counter")
        code = an_item(client, counter, in_stock=5)["code"]
        held = OrdersInFlight(tight, counter, code)
        try:
            started = time.monotonic()
            r = client.post("/orders", json=order_body(code), headers=counter)
            assert r.status_code == 503
            assert time.monotonic() - started < 30, "shed after its short wait, not after the writer's timeout"
            assert r.headers["retry-after"] == "1"
            assert r.json() == {"code": "overloaded", "message": "The shop server is busy — try again shortly"}
            assert client.get("/gifts/stock", headers=counter).status_code == 200, "reads have their own slots"
            assert client.get("/health").status_code == 200, "probes are never shed"
            assert client.get("/ready").status_code == 200
        finally:
            held.release()
        assert held.answers == [201, 201], "the held orders were served once the writer could write"
        assert client.post("/orders", json=order_body(code), headers=counter).status_code == 201, "recovers by itself"


def test_a_write_that_finds_no_slot_waits_for_one_rather_than_fail(tmp_path):
    s = Served(tmp_path, max_in_flight=1, write_wait_s=60)
    try:
        with httpx.Client(base_url=s.url, timeout=120) as client:
            counter = sign_in(client, "counter")
            code = an_item(client, counter, in_stock=5)["code"]
            held = OrdersInFlight(s, counter, code, n=1)
            with ThreadPoolExecutor(1) as pool:
                waiting = pool.submit(client.post, "/orders", json=order_body(code), headers=counter)
                wait_until(lambda: s.app.shedder.writes.waiting == 1, timeout=60, interval=0.01)
                held.release()
                assert waiting.result(120).status_code == 201
    finally:
        s.close()


def test_a_hundred_concurrent_reads_all_succeed_by_queueing(tmp_path):
    """The original's own test was ``siege -c 100`` on GET /gifts: a read waits for a slot, no 503."""
    s = Served(tmp_path)                  # the default limits, as siege met them
    try:
        with httpx.Client(base_url=s.url, timeout=60) as client:
            counter = sign_in(client, "counter")

        def read(_):
            with httpx.Client(base_url=s.url, timeout=60) as c:
                return [c.get("/gifts/stock", headers=counter).status_code for _ in range(5)]
        with ThreadPoolExecutor(100) as pool:
            statuses = [code for codes in pool.map(read, range(100)) for code in codes]
        assert statuses == [200] * 500
    finally:
        s.close()


def test_the_counter_says_busy_and_recovers(tight, tmp_path):
    remote = open_remote_shop(tight.url, "counter:1111", queue_path=tmp_path / "q.sqlite")
    try:
        with httpx.Client(base_url=tight.url, timeout=60) as client:
            counter = sign_in(client, "counter")
            code = an_item(client, counter, in_stock=5)["code"]
        held = OrdersInFlight(tight, counter, code)
        try:
            with pytest.raises(ServerBusy) as refused:
                remote.cancel_order(1, "busy test")
            assert str(refused.value) == "busy — try again shortly"
            assert remote.connection_status() == "busy — try again shortly"
        finally:
            held.release()
        wait_until(lambda: remote.connection_status() == "online", timeout=60)   # once Retry-After has passed
        assert remote.gift_stock().quantity >= 0
    finally:
        remote.close()
