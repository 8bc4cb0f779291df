"""The shop server as processes: a shop process owning the writer and gateway workers beside it.

Real processes throughout (``python main.py serve``): orders from many clients through two workers land
once each; a worker that dies is replaced; SIGHUP replaces the workers without refusing a request; and
workers never outlive their shop process.
"""
from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.contract.helpers import wait_until
from tests.http.conftest import an_item, order_body, sign_in
from tests.http.serve_process import gateway_workers, running, serve_process


def _place(url: str, headers: dict, body: dict) -> httpx.Response:
    return httpx.post(url + "/orders", json=body, headers=headers, timeout=10)  # a fresh connection each


def test_orders_through_two_workers_land_once_each_even_when_sent_twice(tmp_path):
    with serve_process(tmp_path, "--workers", "2") as (proc, url):
        # ready means one worker answers; each is a supervisord process of its own now, the other may
        # still be starting (before, both were forked by the shop process before it answered)
        wait_until(lambda: len(gateway_workers(proc.pid)) == 2, timeout=60)
        with httpx.Client(base_url=url) as client:
            counter = sign_in(client, "counter")   # one sign-in: the token is good on every worker
            code = an_item(client, counter, in_stock=50)["code"]
        bodies = [order_body(code, clientRef=f"replica-{i}") for i in range(40)]
        with ThreadPoolExecutor(8) as pool:
            first = list(pool.map(lambda b: _place(url, counter, b), bodies))
            again = list(pool.map(lambda b: _place(url, counter, b), bodies[:20]))  # resent, maybe elsewhere
        assert [r.status_code for r in first + again] == [201] * 60
        ids = {r.json()["clientRef"]: r.json()["orderId"] for r in first}
        assert len(set(ids.values())) == 40
        assert all(ids[r.json()["clientRef"]] == r.json()["orderId"] for r in again), "each clientRef once"
        with httpx.Client(base_url=url) as client:
            today = client.get("/orders", headers=counter).json()
            assert sorted(o["orderId"] for o in today) == sorted(ids.values())
            assert all(client.get(f"/mypages/{i}", headers=counter).json()["giftStatus"] == "sent"
                       for i in list(ids.values())[:5])


def test_a_killed_worker_is_replaced_and_the_server_keeps_taking_orders(tmp_path):
    with serve_process(tmp_path, "--workers", "2") as (proc, url):
        with httpx.Client(base_url=url) as client:
            counter = sign_in(client, "counter")
            code = an_item(client, counter)["code"]
        before = gateway_workers(proc.pid)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: len(gateway_workers(proc.pid)) == 2 and victim not in gateway_workers(proc.pid),
                   timeout=20)
        wait_until(lambda: httpx.get(url + "/ready", timeout=60).status_code == 200, timeout=20)
        assert all(_place(url, counter, order_body(code)).status_code == 201 for _ in range(10))


def test_sighup_replaces_the_workers_and_every_order_is_taken_once(tmp_path):
    """New connections are always taken (the socket never closes); a request caught on a connection the
    old worker is closing fails at the connection level and is sent again with its clientRef, as the
    remote app does: every order is answered 201 and taken exactly once."""
    with serve_process(tmp_path) as (proc, url):
        with httpx.Client(base_url=url) as client:
            counter = sign_in(client, "counter")
            code = an_item(client, counter, in_stock=100)["code"]
        old = gateway_workers(proc.pid)
        answers, resent, stop = {}, [], threading.Event()

        def keep_ordering(who: int):
            n = 0
            while not stop.is_set():
                n += 1
                body = order_body(code, clientRef=f"hup-{who}-{n}")
                for _ in range(3):
                    try:
                        response = _place(url, counter, body)
                        answers[body["clientRef"]] = (response.status_code, response.json().get("orderId"))
                        break
                    except httpx.TransportError as error:
                        resent.append(repr(error))
        clients = [threading.Thread(target=keep_ordering, args=(who,)) for who in range(2)]
        for c in clients:
            c.start()
        try:
            wait_until(lambda: len(answers) >= 5, timeout=60)          # orders are flowing
            proc.send_signal(signal.SIGHUP)
            # The signal that the restart is done: the old worker is gone and its replacement serves.
            # uvicorn gives up a restart whose new worker is not ready within its health-check timeout
            # (5 s by default, too short on a busy machine: the cause of this test's failures); the
            # server now allows 60 s, so the wait here is bounded by that, not by a guess.
            wait_until(lambda: (new := gateway_workers(proc.pid)) and not new & old, timeout=120)
            served_before = len(answers)
            wait_until(lambda: len(answers) >= served_before + 5, timeout=60)   # and go on after it
        finally:
            stop.set()
            for c in clients:
                c.join(15)
        assert {status for status, _ in answers.values()} == {201}, "no order refused or failed"
        assert len({order_id for _, order_id in answers.values()}) == len(answers), "each taken once"
        assert len(answers) > served_before > 0, "orders were taken before, during and after"
        assert len(resent) <= 4, resent   # at most the requests in flight on the old worker's connections


def test_workers_stop_when_serve_dies(tmp_path):
    """Each worker is supervisord's now (not the shop process's child, so it outlives a shop restart);
    killing main.py serve takes supervisord and every worker with it (parent-death signals)."""
    with serve_process(tmp_path, "--workers", "2") as (proc, url):
        workers = gateway_workers(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        wait_until(lambda: not any(running(pid) for pid in workers),
                   timeout=20)

