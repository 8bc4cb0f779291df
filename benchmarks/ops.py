"""Operations benchmark: how fast a killed process is back, and (with the chain) restarts and chaos.

    python -m benchmarks ops [--kills 10] [--workers 2]

Measured now, on the shop server (``python main.py serve`` under supervisord, on a fresh SQLite
file): ``--kills`` times, an order is placed, the shop process is SIGKILLed, and at once another
order is sent (again after each 503 busy): the time from the kill to its 201 is taken, that is until
the server takes writes again (its gateway workers live on and serve reads throughout; a read that
fails is counted and reported). Then the first order is checked to be there once. Before the next
kill the shop must be RUNNING in supervisord's eyes (up for ``startsecs``) and ready, as a real crash
would find it.

Then, on a chain of its own (``services.chain.launch_private.PrivateChain``: ``main.py chain``'s launch
code, two replicas per context, two gateways, on a PostgreSQL cluster and a nats-server of its own), the
drills the tests run (``services.chain.drill``, the same code):
- ``rolling_restart_failed_requests``: two tills place orders while every service and the gateway are
  restarted one replica at a time (``main.py chain restart``'s engine); requests answered anything but 2xx;
- ``chaos_*``: for ``--chaos-seconds`` a till places orders while a random service replica or gateway
  is SIGKILLed every 3 s, nats-server and PostgreSQL are restarted once each and one HAProxy process
  is SIGKILLed once (``drill.chaos``); ``chaos_acked_lost``:
  orders answered 2xx whose saga is not all there; ``chaos_duplicated``: orders or saga steps taken twice;
  ``chaos_availability``: (2xx + 503 with Retry-After) / requests sent.
``--no-chain`` leaves them null. Ends with one JSON line (issue "Operations"). Targets: self-heal at
most 3 s; 0 failed, 0 lost, 0 duplicated; availability at least 99.9 %.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from services.http.server import free_port
from services.ops.serve import SHOP_PROGRAM, run_folder
from services.ops.supervisor import Supervisor

ROOT = Path(__file__).resolve().parents[1]
CHAIN_ONLY = ("rolling_restart_failed_requests", "chaos_acked_lost", "chaos_duplicated", "chaos_availability")


def _until(condition, timeout_s: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.01)
    raise RuntimeError(f"{what} not met in {timeout_s} s")


def _ready(url: str) -> bool:
    try:
        return httpx.get(url + "/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _place(client: httpx.Client, token: dict, code: str, ref: str) -> int:
    body = {"lines": [{"itemCode": code, "quantity": 1}], "customerName": "벤치", "phone": "010-0000-0000",
            "address": "서울", "clientRef": ref}
    response = client.post("/orders", json=body, headers=token)
    response.raise_for_status()
    return response.json()["orderId"]


def _place_until_taken(client: httpx.Client, token: dict, code: str, ref: str) -> int:
    """POST the order until it is answered 201 (a 503 busy means: not taken, send it again)."""
    body = {"lines": [{"itemCode": code, "quantity": 1}], "clientRef": ref}
    while True:
        response = client.post("/orders", json=body, headers=token)
        if response.status_code != 503:
            response.raise_for_status()
            return response.json()["orderId"]
        time.sleep(0.01)


def _reads_fail(url: str, token: dict, stop) -> list[str]:
    """Reads in a loop until ``stop`` is set; returns what failed."""
    failures = []
    with httpx.Client(base_url=url, timeout=10) as client:
        while not stop.is_set():
            try:
                if (status := client.get("/orders", headers=token).status_code) != 200:
                    failures.append(str(status))
            except httpx.HTTPError as error:
                failures.append(repr(error))
    return failures


def self_heal(kills: int, workers: int) -> tuple[list[float], int]:
    folder = Path(tempfile.mkdtemp(prefix="sikdang-ops-bench-"))
    db = folder / "shop.sqlite"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "main.py", "serve", "--db", str(db), "--port", str(port),
                               "--workers", str(workers), "--log-level", "WARNING", "--demo"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    supervisor = Supervisor([], run_folder(db))
    shop = f"{SHOP_PROGRAM}-0"
    heal_times = []
    try:
        _until(lambda: _ready(url), what="server ready")
        with httpx.Client(base_url=url, timeout=10) as client:
            sign_in = client.post("/auth/sign-in", json={"staffId": "counter", "pin": "1111"})
            token = {"Authorization": f"Bearer {sign_in.json()['token']}"}
            code = next(m["code"] for m in client.get("/cooks/menu", headers=token).json() if m["stock"] >= 2 * kills)
        stop = threading.Event()
        with ThreadPoolExecutor(1) as reader:
            read_failures = reader.submit(_reads_fail, url, token, stop)
            try:
                for n in range(kills):
                    _until(lambda: supervisor.status().get(shop) == "RUNNING" and _ready(url), what="shop RUNNING")
                    with httpx.Client(base_url=url, timeout=30) as client:
                        order_id = _place(client, token, code, f"heal-{n}")
                        victim = supervisor.pid(shop)
                        os.kill(victim, signal.SIGKILL)
                        killed = time.monotonic()
                        _place_until_taken(client, token, code, f"heal-{n}-after")
                        heal_times.append(time.monotonic() - killed)
                        assert _place(client, token, code, f"heal-{n}") == order_id, (
                            "an order taken before the kill is kept once")
                    print(f"kill {n + 1}/{kills}: writes taken again {heal_times[-1]:.2f} s after it", flush=True)
            finally:
                stop.set()
            failed_reads = len(read_failures.result())
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
    return heal_times, failed_reads


def chain_drills(chaos_seconds: float) -> dict:
    """The chain's figures (module docstring), from the drills the tests run."""
    from services.chain.drill import chaos_under_load, rolling_restart_under_load
    from services.chain.launch_private import PrivateChain
    echo = lambda line: print(line, file=sys.stderr, flush=True)   # noqa: E731
    with PrivateChain(Path(tempfile.mkdtemp(prefix="sikdang-ops-chain-")), replicas=2, gateways=2) as chain:
        rolling = rolling_restart_under_load(chain, echo=echo)
        echo(f"rolling restart: {dict(rolling.counts)}; "
             f"lost {rolling.report.lost}, duplicated {rolling.report.duplicated}")
        chaos = chaos_under_load(chain, seconds=chaos_seconds, echo=echo)
        echo(f"chaos: {chaos.done}; requests {dict(chaos.counts)}, failed requests got {chaos.load.failures()[:10]}")
    return {"rolling_restart_failed_requests": rolling.counts["failed"] + rolling.counts["shed"],
            "rolling_restart_lost": len(rolling.report.lost),
            "chaos_acked_lost": len(chaos.report.lost), "chaos_duplicated": len(chaos.report.duplicated),
            "chaos_availability": round(chaos.load.availability(), 5), "chaos_failed_requests": chaos.counts["failed"],
            "chaos_orders": len(chaos.load.acknowledged()), "chaos_requests": sum(chaos.counts.values())}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks ops")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chaos-seconds", type=float, default=60.0)
    parser.add_argument("--no-chain", action="store_true", help="only the shop server's self-heal figures")
    args = parser.parse_args(argv)
    heals, failed_reads = self_heal(args.kills, args.workers)
    chain = {name: None for name in CHAIN_ONLY} if args.no_chain else chain_drills(args.chaos_seconds)
    result = {"self_heal_p50_s": round(statistics.median(heals), 3), "self_heal_max_s": round(max(heals), 3),
              "self_heal_failed_reads": failed_reads, **chain}
    print(json.dumps(result))
    return 0
