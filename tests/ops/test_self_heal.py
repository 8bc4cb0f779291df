"""The shop process of a real ``main.py serve`` SIGKILLed while orders are being placed: the gateway
workers live on (supervisord holds the port), reads never fail, writes are answered 201 or 503 with
Retry-After (nothing taken: sent again with the same clientRef), every order is taken exactly once, and
writes are taken again once supervisord has the shop process back. How fast is measured by
``python -m benchmarks ops``, not here; what makes it fast (the shop process imports no web
framework) is checked here."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from services.ops.serve import SHOP_PROGRAM, run_folder
from services.ops.supervisor import Supervisor
from tests.contract.helpers import wait_until
from tests.http.conftest import an_item, order_body, sign_in
from tests.ops.serving import serve

DEADLINE = 120   # a busy machine is 2-4x slower than a quiet one


class Traffic:
    """Clients placing orders (each sent again after a 503, with its clientRef) and one client reading."""

    def __init__(self, url: str, token: dict, code: str, orderers: int = 2) -> None:
        self.url, self.token, self.code = url, token, code
        self.stop = threading.Event()
        self.taken: dict[str, int] = {}          # clientRef -> orderId, once answered 201
        self.answers: list[tuple[int, str | None]] = []   # (status, Retry-After) of every order POST
        self.read_failures: list[str] = []
        self.reads = 0
        self.threads = [threading.Thread(target=self._order, args=(n,)) for n in range(orderers)]
        self.threads.append(threading.Thread(target=self._read))

    def _order(self, who: int) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as http:
            n = 0
            while not self.stop.is_set() and n < 45:   # 2 x 45 orders: within the item's stock of 100
                n += 1
                body = order_body(self.code, clientRef=f"heal-{who}-{n}")
                while True:   # a 503 took nothing: the same clientRef again
                    response = http.post("/orders", json=body, headers=self.token)
                    self.answers.append((response.status_code, response.headers.get("Retry-After")))
                    if response.status_code != 503:
                        break
                if response.status_code == 201:
                    self.taken[body["clientRef"]] = response.json()["orderId"]
                else:
                    return   # an answer the test rejects: it shows in self.answers

    def _read(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as http:
            while not self.stop.is_set():
                try:
                    response = http.get("/orders", headers=self.token)
                    if response.status_code == 200:
                        self.reads += 1
                    else:
                        self.read_failures.append(f"{response.status_code} {response.text[:200]}")
                except httpx.HTTPError as error:
                    self.read_failures.append(repr(error))

    def __enter__(self) -> Traffic:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(DEADLINE)


def test_orders_and_reads_ride_through_a_sigkilled_shop_process(tmp_path):
    with serve(tmp_path, "--workers", "2") as (proc, url):
        supervisor = Supervisor([], run_folder(Path(tmp_path / "shop.sqlite")))
        shop = f"{SHOP_PROGRAM}-0"
        with httpx.Client(base_url=url) as client:
            token = sign_in(client, "counter")
            code = an_item(client, token, in_stock=100)["code"]
        with Traffic(url, token, code) as traffic:
            wait_until(lambda: len(traffic.taken) >= 5 and traffic.reads >= 5, DEADLINE)
            victim = supervisor.pid(shop)
            os.kill(victim, signal.SIGKILL)
            taken_at_kill, reads_at_kill = len(traffic.taken), traffic.reads
            wait_until(lambda: supervisor.pid(shop) not in (0, victim), DEADLINE)   # supervisord restarted it
            wait_until(lambda: len(traffic.taken) >= taken_at_kill + 10, DEADLINE)   # writes are taken again
            assert traffic.reads > reads_at_kill
        assert traffic.read_failures == [], traffic.read_failures[:5]
        assert len(traffic.taken) < 90, "the orderers did not run out of orders to place before the end"
        statuses = {status for status, _ in traffic.answers}
        assert statuses <= {201, 503}, [a for a in traffic.answers if a[0] not in (201, 503)][:5]
        assert all(retry_after for status, retry_after in traffic.answers if status == 503), "503 says when"
        ids = list(traffic.taken.values())
        assert len(set(ids)) == len(ids), "each clientRef is its own order"
        with httpx.Client(base_url=url) as client:
            today = [o["orderId"] for o in client.get("/orders", headers=token).json()]
        assert sorted(today) == sorted(ids), "every order taken exactly once, none lost or doubled"
        busy = sum(1 for status, _ in traffic.answers if status == 503)
        print(f"{len(ids)} orders, {busy} answers 503 (then sent again), {traffic.reads} reads, none failed")


SHOP_ONLY = """
import os, signal, sys, threading, time
from pathlib import Path
from services.ops.serve import run_shop_process
ready, out = Path(os.environ["SIKDANG_READY_FILE"]), Path(sys.argv[2])
def report():
    while not ready.exists():
        time.sleep(0.01)
    out.write_text(" ".join(m for m in ("fastapi", "starlette", "uvicorn", "httpx") if m in sys.modules) or "none")
    os.kill(os.getpid(), signal.SIGTERM)
threading.Thread(target=report, daemon=True).start()
sys.exit(run_shop_process(Path(sys.argv[1])))
"""


def test_the_shop_process_imports_no_web_framework(tmp_path):
    """It is what supervisord restarts after a kill: the less it imports, the sooner writes are taken."""
    seen = tmp_path / "modules"
    env = {**os.environ, "SIKDANG_READY_FILE": str(tmp_path / "shop-0.ready"), "SIKDANG_LOG_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", SHOP_ONLY, str(tmp_path / "shop.sqlite"), str(seen)],
                          cwd=Path(__file__).resolve().parents[2], env=env, timeout=DEADLINE,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert seen.read_text() == "none", f"the shop process imported {seen.read_text()}"
